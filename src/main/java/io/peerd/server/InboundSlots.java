package io.peerd.server;

import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.ManagedPeer;
import io.peerd.peer.Services;
import io.peerd.wire.Message;
import io.peerd.wire.Sha256;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Who gets an inbound slot. A socket is refused while shutting down, when banned, when its network has too many
 * unfinished handshakes, or when the slots are full and nobody can be evicted; with the slots
 * full, {@link Eviction} picks a connection to drop for it, so silent sockets cannot keep honest
 * peers out. A discouraged address is not banned: as in Core it gets a slot only while another
 * would still be free after it, and goes first at the next eviction. Evicted connections still closing count against a small slack beyond the limit, so
 * the registry never holds more than {@link ServerConfig#maxPeers}. Refusals go to the
 * {@link RefusalLog}, not one line each.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class InboundSlots {
  /** Evicted inbound connections that may still be closing when another arrives. */
  static final int EVICTED_CLOSING_SLACK = 32;

  private final ServerConfig config;
  private final Registry registry;
  private final Bans bans;
  private final RefusalLog refusals;
  /** Keys the network-group hash eviction protects by, so an attacker cannot pick a protected group. */
  private final byte[] groupKey;

  InboundSlots(ServerConfig config, Registry registry, Bans bans, RefusalLog refusals, byte[] groupKey) {
    this.config = config;
    this.registry = registry;
    this.bans = bans;
    this.refusals = refusals;
    this.groupKey = groupKey.clone();
  }

  /** True if a connection from {@code ip} may start its handshake (someone may have been evicted for it). */
  boolean admit(InetAddress ip, boolean shuttingDown) {
    Optional<InboundRefusal> refusal = refusal(ip, shuttingDown);
    refusal.ifPresent(reason -> refusals.refused(reason, ip));
    return refusal.isEmpty();
  }

  private Optional<InboundRefusal> refusal(InetAddress ip, boolean shuttingDown) {
    if (shuttingDown) {
      return Optional.of(InboundRefusal.SHUTTING_DOWN);
    }
    if (bans.isBanned(ip)) {
      return Optional.of(InboundRefusal.BANNED);
    }
    if (registry.handshakingInbound(NetGroup.of(ip)) >= config.maxHandshakingPerNetGroup()) {
      return Optional.of(InboundRefusal.HANDSHAKING_PER_NETWORK);
    }
    if (registry.count(ConnectionKind.INBOUND) >= config.maxInbound() + EVICTED_CLOSING_SLACK) {
      return Optional.of(InboundRefusal.EVICTED_STILL_CLOSING);
    }
    if (registry.count(ConnectionKind.INBOUND) + 1 < config.maxInbound()) {
      return Optional.empty(); // room even for a discouraged address, counting those still closing: no scan
    }
    List<Registry.Entry> open = openInbound();
    if (bans.isDiscouraged(ip) && open.size() + 1 >= config.maxInbound()) {
      return Optional.of(InboundRefusal.DISCOURAGED);
    }
    if (open.size() < config.maxInbound()) {
      return Optional.empty();
    }
    Optional<Eviction.Candidate> evicted = Eviction.select(evictionCandidates(open));
    if (evicted.isEmpty()) {
      return Optional.of(InboundRefusal.NOBODY_TO_EVICT);
    }
    long evictedId = evicted.get().peerId();
    registry.get(evictedId).peer().disconnect(DisconnectReason.EVICTED, "inbound slots full: evicted for a newcomer");
    return Optional.empty();
  }

  private List<Registry.Entry> openInbound() {
    return registry.entries().stream()
        .filter(e -> e.kind() == ConnectionKind.INBOUND && e.peer().closingSinceNanos() == 0)
        .toList();
  }

  /** Open inbound connections eviction may pick: whitelisted noban peers are never evicted. */
  private List<Eviction.Candidate> evictionCandidates(List<Registry.Entry> open) {
    return open.stream().filter(e -> !bans.isNoBan(e.peer().remoteAddress().getAddress())).map(this::candidate)
        .toList();
  }

  private Eviction.Candidate candidate(Registry.Entry entry) {
    ManagedPeer peer = entry.peer();
    InetAddress ip = peer.remoteAddress().getAddress();
    Message.Version version = peer.version();
    boolean relaysTransactions = version != null && version.relay();
    return new Eviction.Candidate(peer.id(), entry.startedAtMillis(), peer.minPingNanos(), peer.lastNewBlockMillis(),
        0, relaysTransactions, Services.hasAll(peer.services(), Services.NODE_NETWORK), keyedGroup(ip),
        ip.isLoopbackAddress(), bans.isDiscouraged(ip));
  }

  private long keyedGroup(InetAddress ip) {
    byte[] prefix = NetGroup.of(ip).prefix();
    byte[] keyed = ByteBuffer.allocate(groupKey.length + prefix.length).put(groupKey).put(prefix).array();
    return ByteBuffer.wrap(Sha256.hash(keyed, 0, keyed.length)).getLong();
  }
}
