package io.peerd.node;

import io.peerd.net.HostPort;
import io.peerd.actor.ActorProgress;
import io.peerd.actor.Mailbox;
import io.peerd.actor.ScheduledTimers;
import io.peerd.actor.Watchdog;
import io.peerd.addrman.RoutingPolicy;
import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.ChainView;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.chain.NetworkParameters;
import io.peerd.chain.PeerBlockLimit;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.discovery.SeedLookup;
import io.peerd.metrics.MetricsEndpoint;
import io.peerd.metrics.NodeReadings;
import io.peerd.net.Connection;
import io.peerd.net.TcpTransport;
import io.peerd.net.Transport;
import io.peerd.peer.Peer;
import io.peerd.peer.PeerConfig;
import io.peerd.peer.PeerTotals;
import io.peerd.rpc.RpcConfig;
import io.peerd.rpc.RpcServer;
import io.peerd.server.Server;
import io.peerd.server.ServerConfig;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncManager;
import io.peerd.store.RocksChainStore;
import io.peerd.store.StoreException;
import io.peerd.wire.Hash;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the store and chain, the chain, sync and server actors, the listener, the
 * connection workers, metrics and RPC, wired together. Each service starts once ({@link StartOnce}) in
 * dependency order and stops in reverse, and only what started is stopped. A start that failed
 * may be retried (services already started stay started) or the node closed. {@link #close} is
 * idempotent, waits for a start in flight, stops whatever started (after a failed start too),
 * then closes the timers and the store, and is bounded in time.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final long PEERS_SHUTDOWN_MILLIS = 10_000;
  private static final long ACTOR_STOP_MILLIS = 5_000;
  /** How long close waits for a start (or stop) in flight on another thread before closing what it can. */
  private static final long TRANSITION_WAIT_MILLIS = 30_000;

  private final NodeConfig config;
  private final NodeEvents events;
  private final RocksChainStore store;
  private final Chain chain;
  /** The node's one latch: RPC and the server must agree on when initial block download ended. */
  private final InitialBlockDownload initialBlockDownload;
  private final ScheduledTimers timers;
  /** The watchdog's own: it must run when the node's timer thread is the one stuck. */
  private final ScheduledTimers watchdogTimers;
  private final TcpTransport transport;
  private final ChainActor chainActor;
  private final SyncManager sync;
  private final Watchdog watchdog;
  /** Every peer's traffic and outcomes, added by the peers' threads, read by metrics and getnettotals. */
  private final PeerTotals peerTotals = new PeerTotals();
  private final AtomicReference<Server> server = new AtomicReference<>();
  private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
  private final FatalErrors fatalErrors = new FatalErrors(this::requestStop);
  /** In start order; fixed, so a retried start skips the services that already started. */
  private final List<StartOnce> services;
  /** The timers and store, open from {@link #open}: stopping it stops what started, then closes them. */
  private final StartOnce opened;
  private final StartOnce node;
  /** Set by the starting thread, read by any (accessors, RPC): volatile. */
  private volatile Transport.Listener listener;
  private volatile RpcServer rpc;
  private volatile MetricsEndpoint metrics;
  private final Production production;

  private Node(NodeConfig config, RocksChainStore store, Chain chain, NodeEvents events) {
    this.config = config;
    this.events = events;
    this.store = store;
    this.chain = chain;
    this.initialBlockDownload = new InitialBlockDownload(config.params(), () -> System.currentTimeMillis() / 1000);
    this.timers = new ScheduledTimers("timers", fatalErrors.platform("timers"));
    this.watchdogTimers = new ScheduledTimers("watchdog timers", fatalErrors.platform("watchdog"));
    this.transport = new TcpTransport(fatalErrors.virtualNumbered("accept-"));
    int maxPeers = config.server().maxPeers();
    ChainEvents chainEvents = new ChainEvents(chain.view(), events, server);
    this.chainActor = new ChainActor(chain, chainEvents, () -> System.currentTimeMillis() / 1000,
        new Mailbox(config.sync().windowBlocks() + config.sync().maxPendingAtChain() + 2 * maxPeers + 64),
        fatalErrors.platform("chain"), config.production() != null && config.production().ha() != null
            ? PeerBlockLimit.committedOnly() : PeerBlockLimit.none());
    this.sync = new SyncManager(config.sync(), chainActor, chain.view(), timers, System::currentTimeMillis,
        new Mailbox(SyncManager.mailboxCapacity(maxPeers, config.peer().maxForwardedMessages())),
        fatalErrors.platform("sync"));
    chainEvents.sendTo(sync);
    this.production = new Production(config.production(), config.params().name(), chainActor, chain.view(), timers,
        fatalErrors.virtualNumbered("ha-"));
    this.watchdog = new Watchdog(this::actors, new NodeHealth(sync::state, sync::thread, this::serverPeers, System::nanoTime)::symptoms,
        config.watchdogStallMillis(), System::nanoTime);
    this.services = List.of(
        new StartOnce("chain actor", chainActor::start, () -> stopActor(chainActor)),
        new StartOnce("sync manager", sync::start, () -> stopActor(sync)),
        new StartOnce("listener", this::listen, this::closeListener),
        new StartOnce("server", this::startServer, this::stopServer),
        new StartOnce("production", production::start, production::stop),
        new StartOnce("metrics", this::startMetrics, this::stopMetrics),
        new StartOnce("rpc", this::startRpc, this::stopRpc),
        new StartOnce("watchdog", () -> watchdog.start(watchdogTimers), watchdog::stop));
    this.opened = StartOnce.running("timers and store", this::stopServices);
    this.node = new StartOnce("node", this::startServices, () -> stopWaitingBounded(opened));
  }

  /** Opens the network's store under the data directory and loads the chain; starts nothing. */
  public static Node open(NodeConfig config) {
    return open(config, NodeEvents.NONE);
  }

  /** Like {@link #open(NodeConfig)}, telling {@code events} what happens once started. */
  public static Node open(NodeConfig config, NodeEvents events) {
    NetworkParameters params = config.params();
    RocksChainStore store = RocksChainStore.open(config.networkDirectory().resolve("chain"), params.name());
    try {
      Chain chain = Chain.open(params, store, () -> System.currentTimeMillis() / 1000);
      log.info("peerd {} chain at height {} ({}), best header {}, data in {}", params.name(), chain.tipHeight(),
          chain.tip().hash(), chain.bestHeader().height(), config.networkDirectory().toAbsolutePath());
      return new Node(config, store, chain, events);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Starts every service once; concurrent callers all return when it has started. */
  public void start() throws Exception {
    node.start();
  }

  private void startServices() throws Exception {
    for (StartOnce service : services) {
      service.start();
    }
    log.info("peerd started: p2p {}, rpc {}", p2pAddress() == null ? "off" : HostPort.format(p2pAddress()),
        rpc == null ? "off" : config.rpcBind() + ":" + rpc.port());
  }

  private void listen() throws IOException {
    if (config.listen() == null) {
      return;
    }
    listener = transport.listen(config.listen(), this::accepted);
  }

  private void closeListener() {
    if (listener != null) {
      listener.close();
    }
  }

  /** Accepted before the server exists (a start in progress): closed. */
  private void accepted(Connection connection) {
    Server current = server.get();
    if (current == null) {
      connection.close();
    } else {
      current.inboundAccepted(connection);
    }
  }

  private void startServer() {
    InetSocketAddress bound = p2pAddress();
    PeerConfig peerConfig = config.peer().withAdvertisedAddress(bound);
    ServerConfig serverConfig = config.server().withListenAddress(bound)
        .withBanFile(config.networkDirectory().resolve("banlist.json"))
        .withDiscovery(discovery(config.server().discovery()));
    ThreadFactory peerThreads = fatalErrors.virtualNumbered("peer-");
    ThreadFactory dialThreads = fatalErrors.virtualNumbered("dial-");
    Random random = new SecureRandom();
    ChainView view = chain.view();
    Server created = new Server(serverConfig, new ObservedSync(sync, events), view, initialBlockDownload, transport,
        (connection, kind) -> new Peer(connection, kind, peerConfig, view, server.get(), timers, peerThreads,
            peerTotals),
        (address, host, firstDelayMillis) -> new ConnectionWorker(address, host, transport, config.worker(), timers,
            fatalErrors.virtual("worker-" + HostPort.format(address)), dialThreads,
            System::currentTimeMillis, random, firstDelayMillis),
        timers, new Mailbox(Server.mailboxCapacity(serverConfig)), fatalErrors.platform("server"), dialThreads,
        new SeedLookup(config.resolver(), config.params().defaultPort(), fatalErrors.virtualNumbered("dns-")),
        System::currentTimeMillis, random);
    server.set(created);
    created.start();
  }

  /** The address file in the network's folder, and the network's routing policy unless one was chosen. */
  private ServerConfig.Discovery discovery(ServerConfig.Discovery configured) {
    return configured.withAddressFile(config.networkDirectory().resolve("addresses.dat"))
        .withRoutingPolicy(Optional.ofNullable(configured.routingPolicy())
            .orElse(RoutingPolicy.forNetwork(config.params())));
  }

  private void stopServer() throws Exception {
    closeListener(); // no socket accepted from here on: none reaches a server that has stopped
    Server current = server.get();
    try {
      current.shutdownPeers().get(PEERS_SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS);
      // The workers were told to stop. Joined before the server stops, none can hand it a
      // connection after it stopped reading its mailbox (that connection would stay open).
      awaitWorkers(current);
    } catch (TimeoutException e) {
      log.warn("peers did not all close within {} ms", PEERS_SHUTDOWN_MILLIS);
    }
    stopActor(current);
    awaitWorkers(current); // after a timeout above, the server's stop is what stopped them
  }

  private static void awaitWorkers(Server server) throws InterruptedException {
    if (!server.state().awaitWorkersStopped(ACTOR_STOP_MILLIS)) {
      log.warn("connection workers did not all stop within {} ms", ACTOR_STOP_MILLIS);
    }
  }

  private void startRpc() throws IOException {
    if (config.rpcPort() < 0) {
      return;
    }
    RpcConfig rpcConfig = new RpcConfig(config.rpcBind(), config.rpcPort(), config.networkDirectory(),
        config.rpcCredentials(), RpcConfig.DEFAULT_THREAD_COUNT, RpcConfig.DEFAULT_WORK_QUEUE_DEPTH,
        RpcConfig.DEFAULT_MAX_BODY_BYTES);
    RpcServer created = new RpcServer(rpcConfig, new NodeRpc(new NodeRpcControl(config, chain.view(), chainActor,
        initialBlockDownload, server::get, sync, peerTotals, () -> rpc, watchdog, production, this::requestStop)).methods());
    created.start(); // a failed start leaves nothing behind: not kept
    rpc = created;
  }

  private void stopRpc() {
    if (rpc != null) {
      rpc.stop();
    }
  }

  /** After the server: the meters read its published state. */
  private void startMetrics() throws IOException {
    if (config.metrics() != null) {
      Server started = server.get();
      metrics = MetricsEndpoint.start(config.metrics(), new NodeReadings(chain.view(), initialBlockDownload,
          sync::state, started.state(), peerTotals, List.of(chainActor, sync, started, timers), watchdog, store));
    }
  }

  private void stopMetrics() {
    if (metrics != null) {
      metrics.close();
    }
  }

  private static void stopActor(io.peerd.actor.Actor<?> actor) throws InterruptedException {
    actor.stop();
    if (!actor.awaitStopped(ACTOR_STOP_MILLIS)) {
      log.warn("{} did not stop within {} ms", actor.name(), ACTOR_STOP_MILLIS);
    }
  }

  /** Stops the services that started, in reverse order, then the timers and the store. */
  private void stopServices() {
    for (StartOnce service : services.reversed()) {
      try {
        service.stop(TRANSITION_WAIT_MILLIS);
      } catch (Exception e) {
        log.warn("stopping {} failed", service, e);
      }
    }
    timers.close();
    watchdogTimers.close();
    try {
      store.close();
      log.info("peerd stopped; store closed");
    } catch (StoreException e) {
      log.warn("peerd stopped; {}", e.getMessage());
    }
  }

  /**
   * Stops the node (idempotent). Waits, bounded, for a start in flight; if it outlasts the bound,
   * stops what has started (a service still starting is left to its thread) and closes the store.
   */
  @Override
  public void close() {
    try {
      stopWaitingBounded(node); // a node that started closes everything here
      stopWaitingBounded(opened); // one that never started, whose start failed or hangs, closes here
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping peerd", e);
    } catch (Exception e) {
      throw new IllegalStateException("stopping peerd failed", e);
    } finally {
      stopRequested.complete(null);
    }
  }

  private static void stopWaitingBounded(StartOnce service) throws Exception {
    try {
      service.stop(TRANSITION_WAIT_MILLIS);
    } catch (TimeoutException e) {
      log.warn("{} after {} ms; closing what has started", e.getMessage(), TRANSITION_WAIT_MILLIS);
    }
  }

  /** Asks whoever runs the node (Main, a test) to close it; returns at once. */
  public void requestStop() {
    stopRequested.complete(null);
  }

  /** Completes when {@link #requestStop} or {@link #close} was called, or a fatal error happened. */
  public CompletableFuture<Void> stopRequested() {
    return stopRequested;
  }

  /** The first {@link Error} that ended one of the node's threads: the node then asked to be stopped. */
  public Optional<Throwable> fatalError() {
    return fatalErrors.first();
  }

  // ------------------------------------------------------------ accessors

  public NodeConfig config() {
    return config;
  }

  public NetworkParameters params() {
    return config.params();
  }

  public ChainView chainView() {
    return chain.view();
  }

  public ChainSnapshot snapshot() {
    return chain.view().snapshot();
  }

  public ChainActor chainActor() {
    return chainActor;
  }

  public SyncManager syncManager() {
    return sync;
  }

  /** The server; null before the node started. */
  public Server server() {
    return server.get();
  }

  /** The bound P2P address, null when not listening (or not started). */
  public InetSocketAddress p2pAddress() {
    Transport.Listener current = listener;
    return current == null ? null : current.localAddress();
  }

  /** The bound RPC port, -1 when RPC is off (or not started). */
  public int rpcPort() {
    RpcServer current = rpc;
    return current == null ? -1 : current.port();
  }

  /** Where metrics are served, null when off (or not started). */
  public InetSocketAddress metricsAddress() {
    MetricsEndpoint current = metrics;
    return current == null ? null : current.address();
  }

  public TcpTransport transport() {
    return transport;
  }

  public ScheduledTimers timers() {
    return timers;
  }

  private List<ServerState.PeerEntry> serverPeers() {
    Server current = server.get();
    return current == null ? List.of() : current.state().peers();
  }

  /** Every actor of the node, and its timer thread, for the watchdog. */
  public List<ActorProgress> actors() {
    List<ActorProgress> actors = new ArrayList<>(List.of(chainActor, sync, timers));
    Server current = server.get();
    if (current != null) {
      actors.add(current);
      actors.addAll(current.state().workers());
    }
    return actors;
  }
}
