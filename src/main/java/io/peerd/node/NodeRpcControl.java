package io.peerd.node;

import io.peerd.actor.Watchdog;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainView;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.chain.NetworkParameters;
import io.peerd.ha.HaMember;
import io.peerd.peer.PeerTotals;
import io.peerd.rpc.RpcServer;
import io.peerd.server.Server;
import io.peerd.sync.SyncManager;
import io.peerd.wire.Hash;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** What RPC may read and ask of a node, from the node's parts; services not started yet read as absent. */
final class NodeRpcControl implements NodeControl {
  private final NodeConfig config;
  private final ChainView view;
  private final ChainActor chainActor;
  private final InitialBlockDownload initialBlockDownload;
  private final Supplier<Server> server;
  private final SyncManager sync;
  private final PeerTotals peerTotals;
  private final Supplier<RpcServer> rpc;
  private final Watchdog watchdog;
  private final Production production;
  private final Runnable requestStop;

  NodeRpcControl(NodeConfig config, ChainView view, ChainActor chainActor, InitialBlockDownload initialBlockDownload,
      Supplier<Server> server, SyncManager sync, PeerTotals peerTotals, Supplier<RpcServer> rpc, Watchdog watchdog,
      Production production, Runnable requestStop) {
    this.config = config;
    this.view = view;
    this.chainActor = chainActor;
    this.initialBlockDownload = initialBlockDownload;
    this.server = server;
    this.sync = sync;
    this.peerTotals = peerTotals;
    this.rpc = rpc;
    this.watchdog = watchdog;
    this.production = production;
    this.requestStop = requestStop;
  }

  @Override
  public NetworkParameters params() {
    return config.params();
  }

  @Override
  public ChainView chainView() {
    return view;
  }

  @Override
  public InitialBlockDownload initialBlockDownload() {
    return initialBlockDownload;
  }

  @Override
  public CompletableFuture<List<Hash>> generate(int blocks, byte[] payTo) {
    if (config.production() != null && config.production().ha() != null) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "in an HA group a block enters the chain only through the group's log: its leader produces them"));
    }
    return chainActor.generate(blocks, payTo);
  }

  @Override
  public Optional<PeerControl> peers() {
    return Optional.ofNullable(server.get()).map(started -> new ServerPeerControl(started, sync, peerTotals, config));
  }

  @Override
  public List<RpcServer.ActiveCommand> rpcActiveCommands() {
    RpcServer current = rpc.get();
    return current == null ? List.of() : current.activeCommands();
  }

  @Override
  public long watchdogStallCount() {
    return watchdog.stallCount();
  }

  @Override
  public List<Watchdog.Stall> watchdogStalls() {
    return watchdog.stalls();
  }

  @Override
  public Optional<HaMember.Info> haInfo() {
    Optional<HaMember> member = production.member();
    return member.isEmpty() ? Optional.empty() : Optional.of(member.get().info());
  }

  @Override
  public void requestStop() {
    requestStop.run();
  }
}
