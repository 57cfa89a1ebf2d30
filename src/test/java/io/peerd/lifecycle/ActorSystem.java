package io.peerd.lifecycle;

import io.peerd.actor.Actor;
import io.peerd.actor.Mailbox;
import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.chain.NetworkParameters;
import io.peerd.net.Connection;
import io.peerd.peer.PeerEvents;
import io.peerd.server.Server;
import io.peerd.server.ServerConfig;
import io.peerd.sync.SyncConfig;
import io.peerd.sync.SyncInput;
import io.peerd.sync.SyncManager;
import io.peerd.testing.FakePeer;
import io.peerd.testing.ManualTimers;
import io.peerd.testing.NoDns;
import io.peerd.testing.TestChains;
import io.peerd.testing.TrackedConnection;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The real chain, sync manager and server actors wired as the node wires them, on platform
 * threads (what Lincheck can schedule), with an in-memory store, manual timers and socketless
 * peers. A scenario may put something before the sync manager's input (the storm's gate).
 */
final class ActorSystem {
  /** Platform threads, which Lincheck schedules (a {@code Thread::new} reference trips a Lincheck 3.7 bug). */
  static final ThreadFactory THREADS = new PlatformThreads();
  /** Room enough that lifecycle scenarios never see a refusal. */
  static final int ROOMY_MAILBOXES = 64;
  /** A chain at genesis, shared by scenarios that send no headers or blocks. */
  static final Chain GENESIS_ONLY = TestChains.fresh();

  /** What a scenario may replace; {@link #FIXED} is peerd as it ships. */
  record Wiring(Function<SyncManager, SyncInput> syncInput, IntFunction<Mailbox> mailboxes) {
    /** A lambda, not {@code Mailbox::new}: Lincheck 3.7 loses track of objects built through constructor references. */
    static final Wiring FIXED = new Wiring(sync -> sync, capacity -> new Mailbox(capacity));
  }

  final Chain chain;
  final ChainActor chainActor;
  final SyncManager sync;
  final SyncInput syncInput;
  final Server server;
  final ManualTimers timers = new ManualTimers();
  private final Map<Connection, FakePeer> arriving = new ConcurrentHashMap<>();
  private long nextPeerId = 1;

  ActorSystem(Wiring wiring) {
    this(wiring, GENESIS_ONLY, ROOMY_MAILBOXES);
  }

  /**
   * @param chain shared between runs when no run changes it (building one under the model
   *     checker costs more than the whole scenario)
   * @param mailboxCapacity every actor's counted capacity: small ones make a storm fill them
   */
  ActorSystem(Wiring wiring, Chain chain, int mailboxCapacity) {
    this.chain = chain;
    ChainListener listener = new ChainListener();
    chainActor = new ChainActor(chain, listener, () -> 0, wiring.mailboxes().apply(mailboxCapacity), THREADS);
    sync = new SyncManager(SyncConfig.defaults(), chainActor, chain.view(), timers, () -> 0,
        wiring.mailboxes().apply(mailboxCapacity), THREADS);
    syncInput = wiring.syncInput().apply(sync);
    ServerConfig config = ServerConfig.defaults(null, List.of(), true);
    server = new Server(config, syncInput, chain.view(),
        new InitialBlockDownload(NetworkParameters.REGTEST, () -> 0), null, (connection, kind) -> arriving.remove(connection),
        null, timers, wiring.mailboxes().apply(mailboxCapacity), THREADS, THREADS, NoDns.SEEDS, () -> 0,
        new Random(1));
    listener.system = this;
  }

  void start() {
    chainActor.start();
    sync.start();
    server.start();
  }

  /** A peer whose connection the server accepts, reporting its lifecycle to the server. */
  FakePeer connect() {
    return connect(server);
  }

  /** A peer whose connection the server accepts; its lifecycle events go through {@code events}. */
  FakePeer connect(PeerEvents events) {
    FakePeer peer = new FakePeer(nextPeerId++, events, THREADS);
    TrackedConnection connection = new TrackedConnection(peer.remoteAddress());
    arriving.put(connection, peer);
    server.inboundAccepted(connection);
    return peer;
  }

  /** Lets every actor handle what is queued, in the order events flow, then stops them. */
  void drainAndStop() throws InterruptedException {
    finish(server);
    finish(sync);
    finish(chainActor);
  }

  /** Untimed join: Lincheck models it exactly. */
  private static void finish(Actor<?> actor) throws InterruptedException {
    actor.finishAndStop();
    actor.thread().join();
  }

  int failures() {
    return server.failureCount() + sync.failureCount() + chainActor.failureCount();
  }

  private static final class PlatformThreads implements ThreadFactory {
    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task);
      thread.setDaemon(true); // a scenario that deadlocks must not keep the test JVM alive
      return thread;
    }
  }

  /** Chain results go where the node sends them. */
  private static final class ChainListener implements ChainActor.Listener {
    private ActorSystem system;

    @Override
    public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result) {
      system.sync.headersProcessed(source, headers, result);
    }

    @Override
    public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {
      system.sync.blockProcessed(source, hash, result);
    }

    @Override
    public void tipChanged(ChainSnapshot snapshot) {
      system.sync.tipChanged();
      system.server.tipChanged();
    }
  }
}
