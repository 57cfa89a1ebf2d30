package io.peerd.server;

import io.peerd.banman.Subnet;
import io.peerd.peer.DisconnectReason;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the operator asks of the server over RPC: addnode (add, remove, onetry), disconnectnode,
 * setban and clearbanned. Each answers with the refusal Bitcoin Core would give, or nothing when
 * done; the server completes the caller's reply with it.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class OperatorRequests {
  private final Registry registry;
  private final PersistentPeers persistentPeers;
  private final OutboundSlots outboundSlots;
  private final Bans bans;
  private final ServerState state;

  OperatorRequests(Registry registry, PersistentPeers persistentPeers, OutboundSlots outboundSlots, Bans bans,
      ServerState state) {
    this.registry = registry;
    this.persistentPeers = persistentPeers;
    this.outboundSlots = outboundSlots;
    this.bans = bans;
    this.state = state;
  }

  Optional<RequestRefused> addNode(InetSocketAddress address, Server.AddNodeCommand command) {
    return switch (command) {
      case ADD -> persistentPeers.add(address);
      case REMOVE -> persistentPeers.remove(address);
      case ONETRY -> outboundSlots.dialOnceForOperator(address);
    };
  }

  Optional<RequestRefused> disconnectNode(Optional<InetSocketAddress> address, Optional<Long> peerId) {
    List<Registry.Entry> matches = registry.matching(address, peerId);
    if (matches.isEmpty()) {
      return Optional.of(RequestRefused.nodeNotConnected());
    }
    matches.forEach(entry -> entry.peer().disconnect(DisconnectReason.REQUESTED, "disconnectnode"));
    return Optional.empty();
  }

  /** setban add disconnects the subnet's peers; remove lifts exactly that ban. */
  Optional<RequestRefused> setBan(Subnet subnet, boolean add, long untilSeconds) {
    Optional<RequestRefused> refusal = add ? bans.ban(subnet, untilSeconds) : bans.unban(subnet);
    if (refusal.isEmpty() && add) {
      registry.entries().stream().filter(e -> subnet.contains(e.peer().remoteAddress().getAddress()))
          .forEach(e -> e.peer().disconnect(DisconnectReason.BANNED, "setban " + subnet));
    }
    state.publishBans(bans.list());
    return refusal;
  }

  Optional<RequestRefused> clearBanned() {
    bans.clear();
    state.publishBans(bans.list());
    return Optional.empty();
  }
}
