package io.peerd.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.actor.Actor;
import io.peerd.actor.ActorProgress;
import io.peerd.chain.NetworkParameters;
import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.server.ServerConfig;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncState;
import io.peerd.testing.LiveThreads;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestChains;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sockets, real load, on 127.0.0.1: hundreds of raw-socket peers (virtual threads) connect,
 * handshake and vanish at once against one node, as in seed 000, and a peer storms it with
 * unsolicited blocks while others churn. Afterwards the node must follow a real producing peerd
 * node at once with a sync manager that holds only live peers, every actor's mailbox must have
 * drained without a handler failure or a refusal, and the node must hold what it held before
 * the load: threads, sockets, timers, heap (checked after each test against a baseline taken
 * with the node started and idle).
 *
 * <p>Every wait is bounded. The measured numbers go to standard output, prefixed "stress:".
 */
class LifecycleStressTest {
  /** Seed 000's churn: how long, at most how many cycles, and how many peers per wave. */
  static final Duration CHURN_DURATION = Duration.ofSeconds(60);
  static final int CHURN_MAX_CYCLES = 1_000;
  static final int CHURN_WAVE_PEERS = 300;
  static final int EARLY_LEAVERS = 50;
  static final int STORM_BLOCKS = 2_000;
  static final int STORM_CHURNERS = 200;
  /** Room for a whole wave, all from 127.0.0.1 (one net group). */
  static final int MAX_INBOUND = CHURN_WAVE_PEERS;
  /**
   * Room for the storm's churners and the connections they closed that the node has not yet
   * reported done. A node at its limit rightly refuses more, so a churner waits to reconnect
   * while the node holds {@link #STORM_CHURN_PAUSE_AT} connections (then all churners and the
   * storm peer still fit).
   */
  static final int STORM_MAX_INBOUND = 5 * STORM_CHURNERS;
  static final int STORM_CHURN_PAUSE_AT = STORM_MAX_INBOUND - STORM_CHURNERS - 1;
  /** A wave's peers all connect, handshake and get their pong within this. */
  static final Duration WAVE_BOUND = Duration.ofSeconds(30);
  /** After a wave closes, the node has processed every "done" within this. */
  static final Duration DRAIN_BOUND = Duration.ofSeconds(15);
  /** A follower connected to a producer has its blocks within this. */
  static final Duration FOLLOW_BOUND = Duration.ofSeconds(15);
  static final Duration STORM_BOUND = Duration.ofSeconds(90);
  /** An actor with queued messages that handles none for this long has stopped draining. */
  static final Duration STUCK_BOUND = Duration.ofSeconds(5);
  static final Duration RESOURCES_BOUND = Duration.ofSeconds(30);

  private static final ThreadFactory RAW_PEERS = Thread.ofVirtual().name("raw-", 0).factory();
  private static List<byte[]> stormFrames;

  @TempDir
  Path dir;

  private LiveThreads threadsBeforeNode;
  /** Watches the mailboxes during the storm test; stopped after it whatever happened. */
  private MailboxWatch watch;
  private Node node;
  private LiveThreads threadsAtBaseline;
  private NodeResources baseline;

  /** The storm's blocks, mined on a chain of their own from regtest genesis, framed for the wire. */
  @BeforeAll
  static void mineStormBlocks() {
    List<byte[]> frames = new ArrayList<>(STORM_BLOCKS);
    for (Block block : TestChains.mine(STORM_BLOCKS)) {
      frames.add(MessageCodec.encode(NetworkParameters.REGTEST.magic(), new Message.BlockMessage(block)));
    }
    stormFrames = List.copyOf(frames);
  }

  @BeforeEach
  void snapshotThreads() {
    threadsBeforeNode = LiveThreads.snapshot();
  }

  /**
   * Starts the node under test, then takes the baseline its resources must return to, once one
   * warm-up peer has come and gone: what the node starts lazily (the timer thread with the first
   * timer, the actors' ticks as they start) is running by then.
   */
  private void startNode(int maxInbound) throws Exception {
    NodeConfig config = TestNodes.regtest(dir.resolve("stressed")).withRpc("127.0.0.1", -1, Optional.empty());
    // connect-only without persistent peers: it dials nobody, so every connection is the test's
    node = TestNodes.start(config.withServer(ServerConfig.defaults(null, List.of(), true)
        .withMaxInbound(maxInbound).withMaxHandshakingPerNetGroup(maxInbound)));
    try (RawPeer warmUp = RawPeer.connect(node)) {
      warmUp.handshake();
      warmUp.expectPingAnswered();
    }
    awaitNoPeers("after the warm-up peer");
    threadsAtBaseline = LiveThreads.snapshot();
    baseline = NodeResources.of(node);
    report("baseline: %s", baseline);
  }

  @AfterEach
  void nodeHoldsWhatItHeldBeforeTheLoadThenCloses() throws InterruptedException {
    if (watch != null) {
      watch.stop();
    }
    if (node == null) {
      return;
    }
    try {
      awaitNoPeers("after the test");
      for (Actor<?> actor : List.of(node.chainActor(), node.syncManager(), node.server())) {
        assertThat(actor.failureCount()).as("%s handler failures", actor.name()).isZero();
        assertThat(actor.refusedCount()).as("%s mailbox refusals", actor.name()).isZero();
      }
      baseline.awaitReturnedTo(node, threadsAtBaseline, RESOURCES_BOUND);
      report("after: %s", NodeResources.of(node));
    } finally {
      node.close();
    }
    threadsBeforeNode.awaitNoneAdded(RESOURCES_BOUND);
  }

  /**
   * Seed 000: waves of peers that complete the handshake, prove it with a ping, and all leave at
   * once. After every wave the server and the sync manager must be empty (no dead sync peer);
   * after the churn the node follows a producer at once, with only the producer in sync.
   */
  @Test
  void wavesOfPeersThatHandshakeAndLeaveAtOnceLeaveNoDeadPeerInSync() throws Exception {
    startNode(MAX_INBOUND);
    long startNanos = System.nanoTime();
    int cycles = 0;
    while (cycles < CHURN_MAX_CYCLES && System.nanoTime() - startNanos < CHURN_DURATION.toNanos()) {
      wave(CHURN_WAVE_PEERS, peer -> {
        peer.handshake();
        peer.expectPingAnswered();
      });
      awaitNoPeers("cycle " + cycles);
      cycles++;
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    report("churn: %d cycles of %d peers in %.1f s: %.0f handshaked connections/s", cycles, CHURN_WAVE_PEERS,
        seconds, cycles * CHURN_WAVE_PEERS / seconds);

    followProducer(5);
  }

  /** Peers that leave between version and verack are never added, and leave nothing behind. */
  @Test
  void peersThatLeaveBeforeVerackLeaveNothingBehind() throws Exception {
    startNode(MAX_INBOUND);
    wave(EARLY_LEAVERS, peer -> {
      peer.sendVersion();
      peer.expect(Message.Version.class);
    });
    awaitNoPeers("after the early leavers");

    followProducer(3);
  }

  /**
   * A peer pushes {@value #STORM_BLOCKS} blocks back to back, unsolicited, while
   * {@value #STORM_CHURNERS} peers connect, handshake and leave over and over: every block
   * connects, and no actor stops draining its mailbox meanwhile.
   */
  @Test
  // A stuck actor would block the storm's socket writes, which no interrupt ends.
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aBlockStormDuringChurnConnectsEveryBlockAndEveryMailboxDrains() throws Exception {
    startNode(STORM_MAX_INBOUND);
    watch = MailboxWatch.start(node);
    AtomicBoolean churning = new AtomicBoolean(true);
    AtomicInteger churned = new AtomicInteger();
    Queue<Throwable> churnFailures = new ConcurrentLinkedQueue<>();
    long stormNanos;
    int churnedBeforeStorm;
    try (ExecutorService churners = Executors.newThreadPerTaskExecutor(RAW_PEERS)) {
      try { // churners run until told to stop: told whatever fails here, or closing the executor hangs
        for (int i = 0; i < STORM_CHURNERS; i++) {
          churners.submit(() -> churn(churning, churned, churnFailures));
        }
        await("churn under way").atMost(WAVE_BOUND).pollInterval(Duration.ofMillis(10))
            .until(() -> churned.get() >= STORM_CHURNERS || !churnFailures.isEmpty());
        try (RawPeer storm = RawPeer.connect(node)) {
          storm.handshake(RawPeer.VersionFields.defaults().withStartHeight(STORM_BLOCKS));
          churnedBeforeStorm = churned.get();
          long startNanos = System.nanoTime();
          for (byte[] frame : stormFrames) {
            storm.sendRaw(frame);
          }
          long sentNanos = System.nanoTime();
          await("tip at " + STORM_BLOCKS).atMost(STORM_BOUND).pollInterval(Duration.ofMillis(20))
              .until(() -> node.snapshot().tipHeight(), height -> height == STORM_BLOCKS);
          stormNanos = System.nanoTime() - startNanos;
          report("storm: %d blocks sent in %d ms, all connected after %d ms", STORM_BLOCKS,
              TimeUnit.NANOSECONDS.toMillis(sentNanos - startNanos), TimeUnit.NANOSECONDS.toMillis(stormNanos));
        }
      } finally {
        churning.set(false);
      }
    }
    watch.stop();
    report("storm churn: %d handshaked connections during the storm (%.0f/s); peak connections at the node %d;"
        + " peak mailbox depths %s", churned.get() - churnedBeforeStorm, (churned.get() - churnedBeforeStorm)
        / (stormNanos / 1e9), watch.peakConnections(),
        watch.peakDepths());
    assertThat(churnFailures).as("churning peers that failed to handshake").isEmpty();
    assertThat(churned.get()).as("peers churned during the storm").isGreaterThan(churnedBeforeStorm);
    assertThat(watch.stuck()).as("actors that held messages without handling one for %s", STUCK_BOUND).isEmpty();
    await("every mailbox drained").atMost(DRAIN_BOUND).pollInterval(Duration.ofMillis(20))
        .until(() -> node.actors().stream().allMatch(actor -> actor.mailboxDepth() == 0));
    awaitNoPeers("after the storm");
    SyncState sync = node.syncManager().state();
    assertThat(sync.blocksInFlight()).isZero();
    assertThat(sync.blocksAtChain()).isZero();
    assertThat(node.snapshot().blocksCaughtUp()).isTrue();
  }

  // ------------------------------------------------------------ helpers

  private interface Script {
    void run(RawPeer peer) throws Exception;
  }

  /**
   * {@code peers} raw peers connect at once and each plays {@code script}; once all have, all
   * close at once. Fails if any could not.
   */
  private void wave(int peers, Script script) throws InterruptedException {
    CountDownLatch played = new CountDownLatch(peers);
    CountDownLatch leave = new CountDownLatch(1);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    boolean allPlayed;
    try (ExecutorService raw = Executors.newThreadPerTaskExecutor(RAW_PEERS)) {
      for (int i = 0; i < peers; i++) {
        raw.submit(() -> {
          try (RawPeer peer = RawPeer.connect(node)) {
            script.run(peer);
            played.countDown();
            leave.await();
          } catch (Exception | AssertionError e) {
            failures.add(e);
            played.countDown();
          }
          return null;
        });
      }
      allPlayed = played.await(WAVE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      leave.countDown();
    }
    assertThat(failures).as("raw peers that failed").isEmpty();
    assertThat(allPlayed).as("all %d peers played their part within %s", peers, WAVE_BOUND).isTrue();
  }

  /**
   * One churning peer: connect, handshake, leave, again, until told to stop; it waits (bounded)
   * while the node holds {@link #STORM_CHURN_PAUSE_AT} connections.
   */
  private Void churn(AtomicBoolean churning, AtomicInteger churned, Queue<Throwable> failures) {
    while (churning.get()) {
      try {
        await("room at the node").atMost(DRAIN_BOUND).pollInSameThread().pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1))
            .until(() -> node.server().state().peers().size() < STORM_CHURN_PAUSE_AT);
      } catch (RuntimeException e) {
        failures.add(e);
        return null;
      }
      try (RawPeer peer = RawPeer.connect(node)) {
        peer.handshake();
        churned.incrementAndGet();
      } catch (Exception | AssertionError e) {
        failures.add(e);
        return null;
      }
    }
    return null;
  }

  /** The server has no connection left and the sync manager no peer, no sync peer. */
  private void awaitNoPeers(String when) {
    await("no peer left in the server or sync " + when).atMost(DRAIN_BOUND).pollInSameThread()
        .pollInterval(Duration.ofMillis(5))
        .until(() -> new Peers(node.server().state().peers(), node.syncManager().state()), Peers::none);
  }

  private record Peers(List<ServerState.PeerEntry> server, SyncState sync) {
    boolean none() {
      return server.isEmpty() && sync.peerIds().isEmpty() && sync.syncPeerId() == -1;
    }
  }

  /**
   * A peerd node connects to the stressed node and mines {@code blocks}: the stressed node has
   * them within {@link #FOLLOW_BOUND}, and its sync manager holds the producer alone.
   */
  private void followProducer(int blocks) throws Exception {
    NodeConfig config = TestNodes.connectedTo(dir.resolve("producer"), node.p2pAddress())
        .withRpc("127.0.0.1", -1, Optional.empty());
    try (Node producer = TestNodes.start(config)) {
      long producerId = await("the producer active at the stressed node").atMost(DRAIN_BOUND)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> node.server().state().activePeers(), active -> active.size() == 1)
          .getFirst().peer().id();
      List<Hash> mined = TestNodes.mine(producer, blocks);
      long startNanos = System.nanoTime();
      TestNodes.awaitTip(node, mined.getLast(), FOLLOW_BOUND);
      report("followed %d blocks from the producer in %d ms", blocks,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      SyncState sync = node.syncManager().state();
      assertThat(sync.peerIds()).as("sync's peers").containsExactly(producerId);
      // At the tip no peer has more to sync from: there is a sync peer only while one does.
      assertThat(sync.syncPeerId()).as("sync peer").isIn(-1L, producerId);
    }
  }

  private static void report(String format, Object... args) {
    System.out.println("stress: " + String.format(format, args));
  }

  /**
   * Samples every actor's mailbox while the load runs: its peak depth, and whether it ever held
   * messages for {@link #STUCK_BOUND} without handling one.
   */
  private static final class MailboxWatch {
    private static final long SAMPLE_MILLIS = 20;
    private final Node node;
    private final Map<String, Integer> peakDepths = new HashMap<>();
    private final Map<String, Long> lastHandled = new HashMap<>();
    private final Map<String, Long> lastProgressNanos = new HashMap<>();
    /** Actor name to its depth when first seen stuck. */
    private final Map<String, Integer> stuck = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private int peakConnections;
    private Thread thread;

    private MailboxWatch(Node node) {
      this.node = node;
    }

    static MailboxWatch start(Node node) {
      MailboxWatch watch = new MailboxWatch(node);
      watch.thread = Thread.ofVirtual().name("mailbox-watch").start(watch::run);
      return watch;
    }

    private void run() {
      while (running.get()) {
        synchronized (this) {
          sample(System.nanoTime());
        }
        try {
          Thread.sleep(SAMPLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void sample(long now) {
      for (ActorProgress actor : node.actors()) {
        String name = actor.name();
        int depth = actor.mailboxDepth();
        long handled = actor.handledCount();
        peakDepths.merge(name, depth, Math::max);
        if (depth == 0 || !lastHandled.containsKey(name) || handled != lastHandled.get(name)) {
          lastProgressNanos.put(name, now);
        } else if (now - lastProgressNanos.get(name) > STUCK_BOUND.toNanos()) {
          stuck.putIfAbsent(name, depth);
        }
        lastHandled.put(name, handled);
      }
      peakConnections = Math.max(peakConnections, node.server().state().peers().size());
    }

    void stop() throws InterruptedException {
      running.set(false);
      assertThat(thread.join(STUCK_BOUND)).as("the mailbox watch ended").isTrue();
    }

    synchronized Map<String, Integer> peakDepths() {
      return Map.copyOf(peakDepths);
    }

    /** The most connections the server held at once, handshaking, active or closed and not yet done. */
    synchronized int peakConnections() {
      return peakConnections;
    }

    synchronized Map<String, Integer> stuck() {
      return Map.copyOf(stuck);
    }
  }
}
