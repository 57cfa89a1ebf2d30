package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.peerd.connmgr.Backoff;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerConfig;
import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.Peer;
import io.peerd.testing.LogGate;
import io.peerd.testing.TestNodes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003 over real sockets: two peerd nodes that make each other persistent peers at about the
 * same moment end, within 5 s, with exactly one connection between them, the same TCP connection
 * on both sides, and one completed handshake on each side, never two and never none.
 */
class SimultaneousDialTest {
  private static final int RUNS = 200;
  private static final int FRESH_NODE_RUNS = 200;
  private static final int MAX_DELAY_MILLIS = 50;
  private static final Duration ONE_CONNECTION_WITHIN = Duration.ofSeconds(5);
  /** A connection refused by the tie-break, as the peer logs it: the remote's identity, and whose dial stays. */
  private static final Pattern DUPLICATE_REFUSED =
      Pattern.compile("duplicate connection to \\S*:(\\d+): the one dialed by (us|them) stays");
  /** A losing worker retries after 100 ms, is refused as already connected, and stands down. */
  private static final WorkerConfig FAST_RETRY = new WorkerConfig(new Backoff(100, 1_000, 0.05, 600_000), 2_000,
      10_000);

  @TempDir
  Path dir;

  /** Two nodes kept across runs: each run, addnode add on both (0..50 ms apart), check, remove, disconnect. */
  @Test
  void nodesAddingEachOtherAtOnceEndWithOneConnection() throws Exception {
    Random random = new Random(20_260_003);
    Map<String, Integer> winners = new TreeMap<>();
    long start = System.nanoTime();
    try (Node a = TestNodes.start(config("a")); Node b = TestNodes.start(config("b"));
        LogGate handshakes = LogGate.record(Peer.class, Level.DEBUG)) {
      for (int run = 0; run < RUNS; run++) {
        handshakes.clear();
        boolean aFirst = random.nextBoolean();
        Node first = aFirst ? a : b;
        Node second = aFirst ? b : a;
        CompletableFuture<Void> added = first.server().addNode(second.p2pAddress(), Server.AddNodeCommand.ADD);
        Thread.sleep(random.nextInt(MAX_DELAY_MILLIS + 1));
        second.server().addNode(first.p2pAddress(), Server.AddNodeCommand.ADD).get(5, TimeUnit.SECONDS);
        added.get(5, TimeUnit.SECONDS);

        String winner = awaitOneConnection(a, b, handshakes, "run " + run);
        winners.merge(winner + (aFirst == dialedByA(a) ? ", added first" : ", added second"), 1, Integer::sum);

        removeEachOther(a, b);
        assertNeverZero(handshakes, "run " + run);
      }
    }
    System.out.printf("simultaneous dial: %d runs in %d ms; surviving connection dialed by: %s%n", RUNS,
        (System.nanoTime() - start) / 1_000_000, winners);
  }

  /** Fresh nodes each run, configured as each other's persistent peers, started 0..50 ms apart. */
  @Test
  void nodesConfiguredAsEachOthersPersistentPeersEndWithOneConnection() throws Exception {
    Random random = new Random(20_260_004);
    Map<String, Integer> winners = new TreeMap<>();
    long start = System.nanoTime();
    try (LogGate handshakes = LogGate.record(Peer.class, Level.DEBUG)) {
      for (int run = 0; run < FRESH_NODE_RUNS; run++) {
        handshakes.clear();
        InetSocketAddress addressA = TestNodes.unusedLoopbackAddress();
        InetSocketAddress addressB = TestNodes.unusedLoopbackAddress();
        NodeConfig configA = persistentPeerOf(config("fresh-a-" + run), addressA, addressB);
        NodeConfig configB = persistentPeerOf(config("fresh-b-" + run), addressB, addressA);
        int delayMillis = random.nextInt(MAX_DELAY_MILLIS + 1);
        CompletableFuture<Node> startedB = CompletableFuture.supplyAsync(() -> {
          sleep(delayMillis);
          return startUnchecked(configB);
        });
        try (Node a = TestNodes.start(configA); Node b = startedB.get(30, TimeUnit.SECONDS)) {
          winners.merge(awaitOneConnection(a, b, handshakes, "fresh run " + run), 1, Integer::sum);
        }
        // No count of connection ends here: a node's listener accepts (and closes) connections
        // before its server runs, so the faster node's first dial may be lost and retried.
      }
    }
    System.out.printf("simultaneous dial, fresh nodes: %d runs in %d ms; surviving connection dialed by: %s%n",
        FRESH_NODE_RUNS, (System.nanoTime() - start) / 1_000_000, winners);
  }

  private NodeConfig config(String name) {
    return TestNodes.regtest(dir.resolve(name)).withWorker(FAST_RETRY);
  }

  private static NodeConfig persistentPeerOf(NodeConfig config, InetSocketAddress listen, InetSocketAddress peer) {
    return config.withListen(listen).withServer(ServerConfig.defaults(null, List.of(peer), false));
  }

  /**
   * Waits until each node holds one handshaked connection, the same TCP connection, and both
   * workers have settled (connected, or stood down); then no other connection can come. Returns
   * which node dialed the survivor, the lower or the higher listening address, and whether a
   * duplicate connection was refused or replaced on the way.
   */
  private static String awaitOneConnection(Node a, Node b, LogGate handshakes, String run) {
    await(run + ": one connection, the same on both sides").atMost(ONE_CONNECTION_WITHIN)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> sameConnection(a, b) && settled(a) && settled(b));
    List<String> completed = handshakes.messages(Level.DEBUG).stream().filter(m -> m.contains("handshake done"))
        .toList();
    assertThat(completed).as(run + ": handshakes completed in both nodes").hasSize(2);
    assertThat(connectedWorkers(a) + connectedWorkers(b)).as(run + ": workers connected").isEqualTo(1);
    assertBothEndsAgree(handshakes, a, b, run);
    boolean lowerDialed = dialedByA(a) == lower(a.p2pAddress(), b.p2pAddress());
    boolean contested = handshakes.messages(Level.DEBUG).stream().anyMatch(m -> m.contains("disconnecting: duplicate"));
    return (lowerDialed ? "lower address" : "higher address") + (contested ? " (duplicate refused or replaced)" : "");
  }

  /**
   * Both ends apply one rule: every duplicate refused names the connection dialed by the higher
   * address as the loser. A node that kept its own dial refused the higher address's dial; a node
   * that gave its dial up gave it up to the lower address. Were the ends to disagree, both
   * connections could be refused (zero) or both kept.
   */
  private static void assertBothEndsAgree(LogGate peerLog, Node a, Node b, String run) {
    int lowerPort = Math.min(a.p2pAddress().getPort(), b.p2pAddress().getPort());
    int higherPort = Math.max(a.p2pAddress().getPort(), b.p2pAddress().getPort());
    for (String message : peerLog.messages(Level.DEBUG)) {
      Matcher refusal = DUPLICATE_REFUSED.matcher(message);
      if (refusal.find()) {
        int identityPort = Integer.parseInt(refusal.group(1));
        assertThat(identityPort).as(run + ": " + message)
            .isEqualTo(refusal.group(2).equals("us") ? higherPort : lowerPort);
      }
    }
  }

  /**
   * After the run's connections all closed: every peer logs its disconnect once, so the log
   * counts the connection ends the run made. Two dials make at most four; more means both first
   * connections died (zero connections for a while) and a worker had to dial again.
   */
  private static void assertNeverZero(LogGate peerLog, String run) {
    List<String> ends = peerLog.messages(Level.DEBUG).stream().filter(m -> m.contains(" disconnecting: ")).toList();
    assertThat(ends).as(run + ": connection ends (both first connections lost and redialed?)").hasSizeLessThanOrEqualTo(4);
  }

  private static boolean sameConnection(Node a, Node b) {
    Optional<Peer> atA = onlyActivePeer(a);
    Optional<Peer> atB = onlyActivePeer(b);
    return atA.isPresent() && atB.isPresent() && atA.get().localAddress().equals(atB.get().remoteAddress())
        && atA.get().remoteAddress().equals(atB.get().localAddress());
  }

  private static Optional<Peer> onlyActivePeer(Node node) {
    List<ServerState.PeerEntry> peers = node.server().state().peers();
    return peers.size() == 1 && peers.getFirst().active() ? Optional.of((Peer) peers.getFirst().peer())
        : Optional.empty();
  }

  private static boolean settled(Node node) {
    return node.server().state().workers().stream().map(w -> w.info().phase())
        .allMatch(phase -> phase == ConnectionWorker.Phase.CONNECTED || phase == ConnectionWorker.Phase.IDLE);
  }

  private static long connectedWorkers(Node node) {
    return node.server().state().workers().stream().filter(w -> w.info().connected()).count();
  }

  private static boolean dialedByA(Node a) {
    return a.server().state().peers().getFirst().kind() == ConnectionKind.MANUAL;
  }

  private static boolean lower(InetSocketAddress one, InetSocketAddress other) {
    return Registry.ADDRESS_ORDER.compare(one, other) < 0;
  }

  /** Stops both workers (their threads end), then closes the connection and waits until both nodes are empty. */
  private static void removeEachOther(Node a, Node b) throws Exception {
    List<ConnectionWorker> workers = List.of(a.server().state().workers().getFirst(),
        b.server().state().workers().getFirst());
    a.server().addNode(b.p2pAddress(), Server.AddNodeCommand.REMOVE).get(5, TimeUnit.SECONDS);
    b.server().addNode(a.p2pAddress(), Server.AddNodeCommand.REMOVE).get(5, TimeUnit.SECONDS);
    for (ConnectionWorker worker : workers) {
      assertThat(worker.awaitStopped(ONE_CONNECTION_WITHIN.toMillis())).as("removed worker's thread ended").isTrue();
    }
    try {
      a.server().disconnectNode(Optional.empty(), Optional.empty()).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(RequestRefused.class); // already gone
    }
    TestNodes.awaitPeerCount(a, 0);
    TestNodes.awaitPeerCount(b, 0);
  }

  private static Node startUnchecked(NodeConfig config) {
    try {
      return TestNodes.start(config);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
