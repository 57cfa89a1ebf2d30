package io.peerd.server;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.ManagedPeer;
import io.peerd.wire.NetworkAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server's connections and dials, and the rule that keeps one connection per remote node.
 *
 * <p>A connection's identity is the remote's listening address: the dialed address for outbound
 * connections, the version's sender (if its IP is the socket's) for inbound ones. Two live
 * connections or dials with one identity are resolved by a rule both ends compute alike from the
 * two listening addresses, whatever order their events arrive in: <b>the connection dialed by
 * the lower address wins</b> (addresses compare by IPv6-mapped bytes, then port). Because every
 * dial is registered here before it starts, a node that lets a losing connection through had no
 * dial of its own at that moment and will grant none while it lives, so both ends always agree
 * and at most one handshake completes. Without a known own address, the first connection wins.
 * Other implementations never see anything but a normal connection that may be refused.
 *
 * <p>Owned by the server thread.
 */
final class Registry {
  /** Orders listening addresses for the tie-break. */
  static final Comparator<InetSocketAddress> ADDRESS_ORDER = Comparator
      .<InetSocketAddress, byte[]>comparing(a -> ip16(a), Arrays::compareUnsigned)
      .thenComparingInt(InetSocketAddress::getPort);

  /** One started peer. */
  static final class Entry {
    /** Core keeps 5,000 in a rolling filter; peerd keeps fewer exact ones, so an idle peer costs little. */
    static final int MAX_KNOWN_ADDRESSES_PER_PEER = 1_000;

    private final ManagedPeer peer;
    private final ConnectionKind kind;
    private final ConnectionWorker worker;
    private final long attempt;
    private final long startedAtMillis;
    /** The inbound connection's network group; null for outbound ones. */
    private final NetGroup inboundGroup;
    private InetSocketAddress identity;
    private boolean active;
    /** What {@link ServerState} shows of it, made again when identity or activity changes. */
    private ServerState.PeerEntry published;
    private boolean getAddrAnswered;
    /** Addresses this peer sent us or we relayed to it, so none is relayed to it again; bounded, oldest forgotten. */
    private final Set<InetSocketAddress> knownAddresses = Collections.newSetFromMap(new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Boolean> eldest) {
        return size() > MAX_KNOWN_ADDRESSES_PER_PEER;
      }
    });

    Entry(ManagedPeer peer, ConnectionKind kind, InetSocketAddress identity, ConnectionWorker worker, long attempt,
        long startedAtMillis) {
      this.peer = peer;
      this.kind = kind;
      this.identity = identity;
      this.worker = worker;
      this.attempt = attempt;
      this.startedAtMillis = startedAtMillis;
      this.inboundGroup = kind == ConnectionKind.INBOUND ? NetGroup.of(peer.remoteAddress().getAddress()) : null;
      publish();
    }

    private void publish() {
      published = new ServerState.PeerEntry(peer, kind, identity, active);
    }

    ManagedPeer peer() {
      return peer;
    }

    ConnectionKind kind() {
      return kind;
    }

    InetSocketAddress identity() {
      return identity;
    }

    void setIdentity(InetSocketAddress claimed) {
      identity = claimed;
      publish();
    }

    ConnectionWorker worker() {
      return worker;
    }

    long attempt() {
      return attempt;
    }

    long startedAtMillis() {
      return startedAtMillis;
    }

    boolean active() {
      return active;
    }

    /** Records that the peer has {@code address}; true if it did not have it before. */
    boolean learnsAddress(InetSocketAddress address) {
      return knownAddresses.add(address);
    }

    /** True the first time only: a getaddr is answered once per connection. */
    boolean answerGetAddrOnce() {
      boolean first = !getAddrAnswered;
      getAddrAnswered = true;
      return first;
    }
  }

  /** What happens to a connection whose version arrived. */
  sealed interface Admission {
    record Accept(List<Displaced> displaced) implements Admission {}

    record Refuse(String reason) implements Admission {}
  }

  /** A connection or dial that an admitted connection replaces. */
  sealed interface Displaced {
    record Connection(ManagedPeer peer, String reason) implements Displaced {}

    record Dial(ConnectionWorker worker, long attempt) implements Displaced {}
  }

  /** A dial in progress: by a worker, or by the server itself (worker null). */
  private record DialRecord(ConnectionWorker worker, long attempt) {}

  private static final Admission ACCEPT_ALONE = new Admission.Accept(List.of());

  private final InetSocketAddress ownAddress;
  private final Map<Long, Entry> entries = new LinkedHashMap<>();
  /** Entries by kind, and inbound ones still handshaking by network group: admission asks per connection. */
  private final int[] countByKind = new int[ConnectionKind.values().length];
  private final Map<NetGroup, Integer> handshakingInboundByGroup = new HashMap<>();
  private int activeCount;
  /** Outbound entries by the nonce their version carries: each inbound version is checked against them. */
  private final Map<Long, Entry> outboundByNonce = new HashMap<>();
  private final Map<InetSocketAddress, DialRecord> dials = new HashMap<>();
  private final Set<InetSocketAddress> selfAddresses = new HashSet<>();

  Registry(InetSocketAddress ownAddress) {
    this.ownAddress = ownAddress == null || ownAddress.getAddress() == null
        || ownAddress.getAddress().isAnyLocalAddress() ? null : ownAddress;
  }

  void add(Entry entry) {
    if (entries.putIfAbsent(entry.peer().id(), entry) != null) {
      throw new IllegalStateException("peer " + entry.peer().id() + " registered twice");
    }
    countByKind[entry.kind().ordinal()]++;
    if (entry.inboundGroup != null) {
      handshakingInboundByGroup.merge(entry.inboundGroup, 1, Integer::sum);
    }
    if (entry.kind().isOutbound()) {
      // of two entries with one random 64-bit nonce the first is found, and neither once it is removed
      outboundByNonce.putIfAbsent(entry.peer().localNonce(), entry);
    }
  }

  /** The entry's handshake completed. */
  void activate(Entry entry) {
    if (entry.active) {
      return;
    }
    entry.active = true;
    activeCount++;
    entry.publish();
    leftHandshaking(entry);
  }

  private void leftHandshaking(Entry entry) {
    if (entry.inboundGroup != null) {
      handshakingInboundByGroup.computeIfPresent(entry.inboundGroup, (group, count) -> count == 1 ? null : count - 1);
    }
  }

  Entry get(long peerId) {
    return entries.get(peerId);
  }

  Entry remove(long peerId) {
    Entry removed = entries.remove(peerId);
    if (removed != null) {
      countByKind[removed.kind().ordinal()]--;
      outboundByNonce.remove(removed.peer().localNonce(), removed);
      if (removed.active) {
        activeCount--;
      } else {
        leftHandshaking(removed);
      }
    }
    return removed;
  }

  List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  /** The entries as {@link ServerState} shows them, in connection order; one array, no per-entry work. */
  List<ServerState.PeerEntry> published() {
    ServerState.PeerEntry[] published = new ServerState.PeerEntry[entries.size()];
    int i = 0;
    for (Entry entry : entries.values()) {
      published[i++] = entry.published;
    }
    return Collections.unmodifiableList(Arrays.asList(published));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  int count(ConnectionKind kind) {
    return countByKind[kind.ordinal()];
  }

  /** Connections whose handshake completed. */
  int activeCount() {
    return activeCount;
  }

  int handshakingInbound(NetGroup group) {
    return handshakingInboundByGroup.getOrDefault(group, 0);
  }

  /** The connections disconnectnode names: by peer id, by address (remote or listening), or both. */
  List<Entry> matching(Optional<InetSocketAddress> address, Optional<Long> peerId) {
    return entries.values().stream()
        .filter(entry -> peerId.map(id -> id == entry.peer().id()).orElse(true))
        .filter(entry -> address.map(a -> a.equals(entry.peer().remoteAddress()) || a.equals(entry.identity()))
            .orElse(true))
        .toList();
  }

  Optional<Entry> outboundWithNonce(long nonce) {
    return Optional.ofNullable(outboundByNonce.get(nonce));
  }

  void markSelf(InetSocketAddress address) {
    if (address != null) {
      selfAddresses.add(address);
    }
  }

  boolean isSelf(InetSocketAddress address) {
    return selfAddresses.contains(address);
  }

  /** A connection (handshaking or active) with this identity exists. */
  boolean hasLive(InetSocketAddress identity) {
    return entries.values().stream().anyMatch(e -> identity.equals(e.identity()));
  }

  boolean isDialing(InetSocketAddress address) {
    return dials.containsKey(address);
  }

  void startDial(InetSocketAddress address, ConnectionWorker worker, long attempt) {
    DialRecord previous = dials.putIfAbsent(address, new DialRecord(worker, attempt));
    assert previous == null : "two dials to " + address;
  }

  /** Ends a worker's dial; the dialed address if it was still registered (not cancelled). */
  Optional<InetSocketAddress> endDial(ConnectionWorker worker, long attempt) {
    for (var it = dials.entrySet().iterator(); it.hasNext(); ) {
      var dial = it.next();
      if (dial.getValue().worker() == worker && dial.getValue().attempt() == attempt) {
        it.remove();
        return Optional.of(dial.getKey());
      }
    }
    return Optional.empty();
  }

  /** Forgets every dial of a stopped worker. */
  void endDials(ConnectionWorker worker) {
    dials.values().removeIf(dial -> dial.worker() == worker);
  }

  void endOneShotDial(InetSocketAddress address) {
    dials.remove(address);
  }

  /**
   * The identity an inbound connection's version claims: its sender is trusted as the remote's
   * listening address only if its IP is the connection's IP, so a peer cannot claim to be someone
   * else to push them out; null otherwise.
   */
  static InetSocketAddress claimedIdentity(InetAddress connectedIp, NetworkAddress sender) {
    if (sender.port() == 0 || !sender.toInetAddress().equals(connectedIp)) {
      return null;
    }
    return new InetSocketAddress(connectedIp, sender.port());
  }

  /** Applies the one-connection rule to {@code candidate}, whose version just arrived. */
  Admission admit(Entry candidate) {
    InetSocketAddress identity = candidate.identity();
    if (identity == null) {
      return ACCEPT_ALONE;
    }
    List<Entry> rivals = entries.values().stream()
        .filter(e -> e != candidate && identity.equals(e.identity())).toList();
    DialRecord rivalDial = dials.get(identity);
    if (rivals.isEmpty() && rivalDial == null) {
      return ACCEPT_ALONE;
    }
    if (ownAddress == null) {
      return refuse(candidate, "already connected to " + identity);
    }
    boolean lowerDialerWins = ADDRESS_ORDER.compare(ownAddress, identity) < 0;
    boolean candidateWins = candidate.kind().isOutbound() == lowerDialerWins;
    boolean rivalAlsoWins = rivals.stream().anyMatch(e -> e.kind().isOutbound() == lowerDialerWins);
    if (!candidateWins || rivalAlsoWins) {
      return refuse(candidate, "duplicate connection to " + identity + ": the one dialed by "
          + (lowerDialerWins ? "us" : "them") + " stays");
    }
    List<Displaced> displaced = new ArrayList<>();
    rivals.forEach(e -> displaced.add(new Displaced.Connection(e.peer(), "replaced by the connection dialed by the lower address")));
    if (rivalDial != null && rivalDial.worker() != null) {
      displaced.add(new Displaced.Dial(rivalDial.worker(), rivalDial.attempt()));
    }
    return new Admission.Accept(displaced);
  }

  /** A refused connection no longer counts as a live one with its identity while it closes. */
  private static Admission refuse(Entry candidate, String reason) {
    candidate.setIdentity(null);
    return new Admission.Refuse(reason);
  }

  private static byte[] ip16(InetSocketAddress address) {
    byte[] raw = address.getAddress().getAddress();
    if (raw.length == 16) {
      return raw;
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(raw, 0, mapped, 12, 4);
    return mapped;
  }
}
