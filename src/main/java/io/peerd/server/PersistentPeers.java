package io.peerd.server;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerHost;
import io.peerd.net.Connection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent peers (--connect, --addnode, RPC addnode): it owns their connection workers, one
 * per peer, and the workers removed by RPC whose threads may still run (so that node shutdown can
 * join them too; forgotten once ended). It starts the configured peers' workers with a spread
 * start, grants or refuses each worker's dial and ends it, tells a worker when another connection
 * to its peer was admitted or its peer's connection ended, hands a worker the addresses learned
 * with its peer's IP, and stops workers: one on RPC addnode remove, all at shutdown. The
 * {@link WorkerHost} its workers report to is the server, whose mailbox brings their requests
 * back here; every change of its workers is reported to {@code workersChanged}, for the server to
 * publish.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class PersistentPeers {
  /** The server's log: these are the server's decisions. */
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  /** Persistent peers dialed at once at startup; the others wait a random delay, to spread the load. */
  static final int PERSISTENT_PEERS_DIALED_AT_ONCE = 10;
  static final long MAX_STARTUP_DELAY_MILLIS = 30_000;

  private final Server.WorkerFactory workerFactory;
  private final WorkerHost host;
  private final Registry registry;
  private final DialPolicy dialPolicy;
  private final BooleanSupplier shuttingDown;
  private final LongSupplier clockMillis;
  private final Random random;
  private final Runnable workersChanged;
  private final Map<InetSocketAddress, ConnectionWorker> workers = new LinkedHashMap<>();
  /** Removed and told to stop; pruned every tick, so bounded by the removals of one tick period. */
  private final List<ConnectionWorker> stoppingWorkers = new ArrayList<>();
  /** Persistent peers from the configuration; RPC may add {@link ServerConfig#MAX_ADDED_PEERS} more. */
  private int configuredCount;

  PersistentPeers(Server.WorkerFactory workerFactory, WorkerHost host, Registry registry, DialPolicy dialPolicy,
      BooleanSupplier shuttingDown, LongSupplier clockMillis, Random random, Runnable workersChanged) {
    this.workerFactory = workerFactory;
    this.host = host;
    this.registry = registry;
    this.dialPolicy = dialPolicy;
    this.shuttingDown = shuttingDown;
    this.clockMillis = clockMillis;
    this.random = random;
    this.workersChanged = workersChanged;
  }

  /** The current workers, in the order they were added. */
  List<ConnectionWorker> workers() {
    return List.copyOf(workers.values());
  }

  /** Workers removed and told to stop whose threads may not have ended yet. */
  List<ConnectionWorker> stoppingWorkers() {
    return List.copyOf(stoppingWorkers);
  }

  // ------------------------------------------------------------ starting and stopping workers

  /** Starts a worker per configured peer: the first ones dial at once, the others after a random delay. */
  void startConfigured(List<InetSocketAddress> peers) {
    configuredCount = peers.size();
    for (int i = 0; i < peers.size(); i++) {
      long delay = i < PERSISTENT_PEERS_DIALED_AT_ONCE ? 0 : (long) (random.nextDouble() * MAX_STARTUP_DELAY_MILLIS);
      startWorker(peers.get(i), delay);
    }
  }

  /**
   * RPC addnode add: starts the peer's worker; refused, as by Core, if it has one already, and
   * when RPC has added {@link ServerConfig#MAX_ADDED_PEERS} (removed ones count until their threads end).
   */
  Optional<RequestRefused> add(InetSocketAddress peer) {
    if (workers.containsKey(peer)) {
      return Optional.of(new RequestRefused(-23, "Node already added"));
    }
    if (workers.size() + stoppingWorkers.size() >= configuredCount + ServerConfig.MAX_ADDED_PEERS) {
      return Optional.of(RequestRefused.capacityReached());
    }
    startWorker(peer, 0);
    return Optional.empty();
  }

  /** RPC addnode remove: stops the peer's worker and forgets its dials; refused, as by Core, if it had none. */
  Optional<RequestRefused> remove(InetSocketAddress peer) {
    ConnectionWorker worker = workers.remove(peer);
    if (worker == null) {
      return Optional.of(new RequestRefused(-24, "Node could not be removed. It has not been added previously."));
    }
    worker.stop();
    stoppingWorkers.add(worker);
    registry.endDials(worker);
    workersChanged.run();
    return Optional.empty();
  }

  /** Forgets the removed workers whose threads ended. */
  void forgetEndedWorkers() {
    if (stoppingWorkers.removeIf(ConnectionWorker::isStopped)) {
      workersChanged.run();
    }
  }

  void stopAll() {
    workers.values().forEach(ConnectionWorker::stop);
  }

  private void startWorker(InetSocketAddress peer, long firstDelayMillis) {
    ConnectionWorker worker = workerFactory.create(peer, host, firstDelayMillis);
    workers.put(peer, worker);
    worker.start();
    if (registry.hasLive(peer)) {
      worker.standDown();
    } else {
      worker.connect();
    }
    workersChanged.run();
  }

  // ------------------------------------------------------------ workers' dials

  /** Answers a worker's request to dial {@code address}; a granted dial is registered. */
  void grantDial(ConnectionWorker worker, long attempt, InetSocketAddress address) {
    if (!workers.containsValue(worker) || shuttingDown.getAsBoolean()) {
      worker.dialRefused(attempt, false);
      return;
    }
    if (isConnected(worker) || registry.hasLive(address)) {
      worker.dialRefused(attempt, true); // a connection to that peer is up: the worker stands down
      return;
    }
    Optional<String> refusal = dialPolicy.operatorDialRefusal(address);
    if (refusal.isPresent()) {
      log.debug("worker {}: not dialing {}: {}", worker.peer(), address, refusal.get());
      worker.dialRefused(attempt, false);
      return;
    }
    registry.startDial(address, worker, attempt);
    worker.dialPermitted(attempt);
  }

  /**
   * A granted dial connected: the dialed address, for the server to start the peer, unless the
   * dial was cancelled meanwhile (stand-down, tie-break) or the server is shutting down; then the
   * connection is closed and the worker's attempt ends.
   */
  Optional<InetSocketAddress> dialConnected(ConnectionWorker worker, long attempt, Connection connection) {
    Optional<InetSocketAddress> dialed = registry.endDial(worker, attempt);
    if (dialed.isEmpty() || shuttingDown.getAsBoolean()) {
      connection.close();
      worker.attemptEnded(attempt, -1);
      return Optional.empty();
    }
    return dialed;
  }

  /** A worker's dial in flight gave way to an admitted connection to its peer: the worker stands down. */
  void dialDisplaced(ConnectionWorker worker, long attempt) {
    registry.endDial(worker, attempt);
    worker.standDown();
  }

  /** A granted dial failed or was abandoned. */
  void dialFailed(ConnectionWorker worker, long attempt) {
    registry.endDial(worker, attempt);
  }

  // ------------------------------------------------------------ connections to persistent peers

  /** A connection to {@code admitted}'s peer was admitted: that peer's worker stands down, unless it dialed it. */
  void connectionAdmitted(Registry.Entry admitted) {
    workerFor(admitted.identity()).filter(worker -> admitted.worker() != worker).ifPresent(ConnectionWorker::standDown);
  }

  /** A connection a worker dialed completed its handshake. */
  void connectionActive(Registry.Entry entry) {
    if (entry.worker() != null) {
      entry.worker().attemptConnected(entry.attempt());
    }
  }

  /**
   * The worker of the ended connection's peer dials again if nothing else connects it: the worker
   * that dialed it, or else (an inbound connection, a one-shot dial, or the dial of a worker
   * since removed) the one that stood down for it.
   */
  void connectionEnded(Registry.Entry entry) {
    long lifetimeMillis = clockMillis.getAsLong() - entry.startedAtMillis();
    if (entry.worker() != null && workers.get(entry.worker().peer()) == entry.worker()) {
      entry.worker().attemptEnded(entry.attempt(), entry.active() ? lifetimeMillis : -1);
      return;
    }
    workerFor(entry.identity()).filter(worker -> !isConnected(worker)).ifPresent(ConnectionWorker::connect);
  }

  /**
   * An address with the IP of a persistent peer is taken as another address of that peer (the
   * protocol has no node identity beyond addresses) and goes to its worker.
   */
  void addressLearned(InetSocketAddress address) {
    for (ConnectionWorker worker : workers.values()) {
      if (worker.peer().getAddress().equals(address.getAddress()) && !worker.addresses().contains(address)) {
        List<InetSocketAddress> updated = new ArrayList<>(worker.addresses());
        updated.add(address);
        worker.updateAddresses(updated);
      }
    }
  }

  /** The worker whose peer has this listening address, as configured or as learned. */
  Optional<ConnectionWorker> workerFor(InetSocketAddress identity) {
    if (identity == null) {
      return Optional.empty();
    }
    ConnectionWorker configured = workers.get(identity);
    return configured != null ? Optional.of(configured)
        : workers.values().stream().filter(w -> w.addresses().contains(identity)).findFirst();
  }

  private boolean isConnected(ConnectionWorker worker) {
    return registry.hasLive(worker.peer()) || worker.addresses().stream().anyMatch(registry::hasLive);
  }
}
