package io.peerd.node;

import io.peerd.addrman.KnownAddress;
import io.peerd.banman.BanManager;
import io.peerd.banman.Subnet;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.PeerTotals;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.server.RequestRefused;
import io.peerd.server.Server;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the peer RPC methods read from the server and the sync manager (as last published, without
 * asking them), and what they ask of the server; requests fail with {@link RequestRefused}
 * as Bitcoin Core would answer.
 */
interface PeerControl {
  /** The started server's peers, or RPC_IN_WARMUP while the node is starting. */
  static PeerControl started(Optional<PeerControl> peers) {
    return peers.orElseThrow(() -> new RpcException(RpcErrorCode.RPC_IN_WARMUP, "peerd is starting"));
  }

  /** The service bits we offer peers (getnetworkinfo's localservices). */
  long localServices();

  /** Every connection's traffic since the node started, closed ones included. */
  PeerTotals peerTotals();

  /** Asks every connected peer's liveness to send a ping now (Core's ping RPC); returns at once. */
  void pingAll();

  /** Connections whose handshake completed, in connection order. */
  List<ServerState.PeerEntry> activePeers();

  /** The persistent (added) peers' workers, as getaddednodeinfo shows them. */
  List<ConnectionWorker.Info> addedNodes();

  /** What the sync manager knows of each peer it handled, by peer id. */
  Map<Long, SyncState.PeerSync> peerSync();

  CompletableFuture<Void> addNode(InetSocketAddress address, Server.AddNodeCommand command);

  /** By address or by peer id, exactly one of them present. */
  CompletableFuture<Void> disconnectNode(Optional<InetSocketAddress> address, Optional<Long> peerId);

  /** The bans as the server last published them, ended ones included. */
  List<BanManager.Ban> bans();

  CompletableFuture<Void> setBan(Subnet subnet, boolean add, long untilSeconds);

  CompletableFuture<Void> clearBanned();

  /** Up to {@code count} known addresses, 0 for all. */
  CompletableFuture<List<KnownAddress>> nodeAddresses(int count);

  /** True if the address was new to the address manager. */
  CompletableFuture<Boolean> addPeerAddress(InetSocketAddress address, boolean tried);
}
