package io.peerd.node;

import io.peerd.addrman.KnownAddress;
import io.peerd.banman.BanManager;
import io.peerd.banman.Subnet;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.PeerTotals;
import io.peerd.peer.Peer;
import io.peerd.server.Server;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncManager;
import io.peerd.sync.SyncState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A started node's peers: the server's published state and requests, the sync manager's state. */
record ServerPeerControl(Server server, SyncManager sync, PeerTotals peerTotals, NodeConfig config)
    implements PeerControl {
  @Override
  public long localServices() {
    return config.peer().services();
  }

  @Override
  public void pingAll() {
    for (ServerState.PeerEntry entry : activePeers()) {
      if (entry.peer() instanceof Peer peer) { // the only kind a node's server makes
        peer.requestPing();
      }
    }
  }

  @Override
  public List<ServerState.PeerEntry> activePeers() {
    return server.state().activePeers();
  }

  @Override
  public List<ConnectionWorker.Info> addedNodes() {
    return server.state().workers().stream().map(ConnectionWorker::info).toList();
  }

  @Override
  public Map<Long, SyncState.PeerSync> peerSync() {
    return sync.state().peers();
  }

  @Override
  public CompletableFuture<Void> addNode(InetSocketAddress address, Server.AddNodeCommand command) {
    return server.addNode(address, command);
  }

  @Override
  public CompletableFuture<Void> disconnectNode(Optional<InetSocketAddress> address, Optional<Long> peerId) {
    return server.disconnectNode(address, peerId);
  }

  @Override
  public List<BanManager.Ban> bans() {
    return server.state().bans();
  }

  @Override
  public CompletableFuture<Void> setBan(Subnet subnet, boolean add, long untilSeconds) {
    return server.setBan(subnet, add, untilSeconds);
  }

  @Override
  public CompletableFuture<Void> clearBanned() {
    return server.clearBanned();
  }

  @Override
  public CompletableFuture<List<KnownAddress>> nodeAddresses(int count) {
    return server.nodeAddresses(count);
  }

  @Override
  public CompletableFuture<Boolean> addPeerAddress(InetSocketAddress address, boolean tried) {
    return server.addPeerAddress(address, tried);
  }
}
