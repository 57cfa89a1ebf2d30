package io.peerd.server;

import io.peerd.addrman.KnownAddress;
import io.peerd.banman.Subnet;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.net.Connection;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.ManagedPeer;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.wire.Message;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Server} actor's messages, one record each. Their bounds are the server's (see its
 * class comment); {@link Request}s come from RPC and carry the reply to complete.
 */
sealed interface ServerEvent {
  /** An RPC request; if the server stopped first, its reply fails. */
  sealed interface Request extends ServerEvent {
    CompletableFuture<?> reply();
  }

  record InboundAccepted(Connection connection) implements ServerEvent {}
  record VersionReceived(ManagedPeer peer, Message.Version version) implements ServerEvent {}
  record PeerAdded(PeerHandle peer) implements ServerEvent {}
  record PeerDone(PeerHandle peer, boolean wasAdded) implements ServerEvent {}
  record Misbehaved(PeerHandle peer, String reason) implements ServerEvent {}
  record AddressMessage(Received received) implements ServerEvent {}

  record TipChanged() implements ServerEvent {}
  record Tick() implements ServerEvent {}

  record DialRequested(ConnectionWorker worker, long attempt, InetSocketAddress address) implements ServerEvent {}
  record DialSucceeded(ConnectionWorker worker, long attempt, Connection connection) implements ServerEvent {}
  record DialFailed(ConnectionWorker worker, long attempt) implements ServerEvent {}
  record OneShotDialed(InetSocketAddress address, ConnectionKind kind, Connection connection)
      implements ServerEvent {}

  record AddNode(InetSocketAddress address, Server.AddNodeCommand command, CompletableFuture<Void> reply)
      implements Request {}
  record DisconnectNode(Optional<InetSocketAddress> address, Optional<Long> peerId,
      CompletableFuture<Void> reply) implements Request {}
  record ShutdownPeers(CompletableFuture<Void> reply) implements ServerEvent {}
  /** RPC setban: {@code untilSeconds} ignored for a removal. */
  record SetBan(Subnet subnet, boolean add, long untilSeconds, CompletableFuture<Void> reply)
      implements Request {}
  record ClearBanned(CompletableFuture<Void> reply) implements Request {}
  /** One per DNS seed, which are asked once. */
  record SeedAnswered(String seed, List<InetSocketAddress> addresses) implements ServerEvent {}
  record NodeAddresses(int count, CompletableFuture<List<KnownAddress>> reply) implements Request {}
  record AddPeerAddress(InetSocketAddress address, boolean tried, CompletableFuture<Boolean> reply)
      implements Request {}
}
