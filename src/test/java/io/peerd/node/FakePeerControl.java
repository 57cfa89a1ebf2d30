package io.peerd.node;

import io.peerd.net.HostPort;
import io.peerd.addrman.KnownAddress;
import io.peerd.banman.BanManager;
import io.peerd.banman.Subnet;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.PeerTotals;
import io.peerd.peer.Services;
import io.peerd.server.Server;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A started node's server: records what it is asked, answers with {@link #answer}. */
final class FakePeerControl implements PeerControl {
  final List<String> requests = new ArrayList<>();
  List<ServerState.PeerEntry> active = List.of();
  List<ConnectionWorker.Info> added = List.of();
  CompletableFuture<Void> answer = CompletableFuture.completedFuture(null);
  final PeerTotals totals = new PeerTotals();
  int pings;

  @Override
  public long localServices() {
    return Services.NODE_NETWORK | Services.NODE_WITNESS;
  }

  @Override
  public PeerTotals peerTotals() {
    return totals;
  }

  @Override
  public void pingAll() {
    pings++;
  }

  @Override
  public List<ServerState.PeerEntry> activePeers() {
    return active;
  }

  @Override
  public List<ConnectionWorker.Info> addedNodes() {
    return added;
  }

  @Override
  public Map<Long, SyncState.PeerSync> peerSync() {
    return Map.of();
  }

  @Override
  public CompletableFuture<Void> addNode(InetSocketAddress address, Server.AddNodeCommand command) {
    requests.add(command + " " + HostPort.format(address));
    return answer;
  }

  @Override
  public CompletableFuture<Void> disconnectNode(Optional<InetSocketAddress> address, Optional<Long> peerId) {
    requests.add("disconnect " + address.map(HostPort::format).orElse("-") + " " + peerId.orElse(-1L));
    return answer;
  }

  @Override
  public List<BanManager.Ban> bans() {
    return List.of();
  }

  @Override
  public CompletableFuture<Void> setBan(Subnet subnet, boolean add, long untilSeconds) {
    requests.add("setban " + subnet + " " + add);
    return answer;
  }

  @Override
  public CompletableFuture<Void> clearBanned() {
    requests.add("clearbanned");
    return answer;
  }

  @Override
  public CompletableFuture<List<KnownAddress>> nodeAddresses(int count) {
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletableFuture<Boolean> addPeerAddress(InetSocketAddress address, boolean tried) {
    return CompletableFuture.completedFuture(false);
  }
}
