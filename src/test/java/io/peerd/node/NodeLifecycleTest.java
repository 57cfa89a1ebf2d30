package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.peerd.testing.SpawnedThreads;
import io.peerd.testing.LiveThreads;
import io.peerd.testing.LogGate;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's start and close (seed 004): every service starts once however many threads start the
 * node, close is idempotent and waits for a start in flight, a failed start leaves nothing
 * running once closed, and a producing node mines on a fresh chain without waiting for peers.
 *
 * <p>The moment a start is in flight is made visible and held with a {@link LogGate} on the
 * node's "peerd started" line, which {@link Node} logs after starting its services and before
 * its start completes.
 */
class NodeLifecycleTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final int STARTERS = 6;

  @TempDir
  Path dir;

  private final SpawnedThreads spawned = new SpawnedThreads();

  @AfterEach
  void joinThreads() throws InterruptedException {
    spawned.joinAll(BOUND);
  }

  @Test
  void concurrentStartsStartEveryServiceOnceAndReturnWhenItHasStarted() throws Exception {
    LiveThreads baseline = LiveThreads.snapshot();
    try (LogGate gate = LogGate.holdAt(Node.class, m -> m.startsWith("peerd started"));
        Node node = Node.open(TestNodes.regtest(dir))) {
      ConcurrentLinkedQueue<Integer> rpcPortsSeenOnReturn = new ConcurrentLinkedQueue<>();
      spawn("starter-0", () -> {
        node.start();
        rpcPortsSeenOnReturn.add(node.rpcPort());
      });
      gate.awaitHeld(BOUND);
      for (int i = 1; i < STARTERS; i++) {
        spawn("starter-" + i, () -> {
          node.start();
          rpcPortsSeenOnReturn.add(node.rpcPort());
        });
      }
      awaitParkedInStartOnce(STARTERS - 1);
      assertThat(rpcPortsSeenOnReturn).as("nobody returns while the start is in flight").isEmpty();
      gate.release();
      joinThreads();

      assertThat(gate.messages(Level.INFO)).filteredOn(m -> m.startsWith("peerd started")).hasSize(1);
      assertThat(rpcPortsSeenOnReturn).hasSize(STARTERS).containsOnly(node.rpcPort());
      assertThat(baseline.added()).as("one thread per actor, one RPC server")
          .filteredOn(name -> name.equals("peerd-server") || name.equals("HTTP-Dispatcher")).hasSize(2);
      assertAccepts(node.p2pAddress());
      assertThat(NodeRpcClient.of(node).call("getblockcount").asInt()).isZero();
      node.start(); // started: returns at once
      assertThat(gate.messages(Level.INFO)).filteredOn(m -> m.startsWith("peerd started")).hasSize(1);
    }
    baseline.awaitNoneAdded(BOUND);
  }

  @Test
  void closeIsIdempotentAndConcurrentClosesAllReturnClosed() throws Exception {
    LiveThreads baseline = LiveThreads.snapshot();
    LogGate log = LogGate.record(Node.class);
    Node node = TestNodes.start(TestNodes.regtest(dir));
    InetSocketAddress p2p = node.p2pAddress();
    int rpcPort = node.rpcPort();
    Path cookie = node.config().networkDirectory().resolve(".cookie");
    assertThat(cookie).exists();
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 4; i++) {
      spawn("closer-" + i, () -> {
        go.await();
        node.close();
        assertThat(cookie).as("close returns only when closed").doesNotExist();
      });
    }
    go.countDown();
    joinThreads();
    node.close();
    log.close();
    assertThat(log.messages(Level.INFO)).as("the store closes once").filteredOn(m -> m.startsWith("peerd stopped"))
        .hasSize(1);
    assertThat(log.messages(Level.WARN)).isEmpty();

    assertThat(node.stopRequested()).isDone();
    assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
    assertPortsFree(p2p.getPort(), rpcPort);
    assertNothingLeftSince(baseline);
  }

  @Test
  void closeDuringStartWaitsForTheStartThenStopsEverything() throws Exception {
    LiveThreads baseline = LiveThreads.snapshot();
    Node node = Node.open(TestNodes.regtest(dir));
    try (LogGate gate = LogGate.holdAt(Node.class, m -> m.startsWith("peerd started"))) {
      spawn("starter", node::start);
      gate.awaitHeld(BOUND);
      CountDownLatch closed = new CountDownLatch(1);
      spawn("closer", () -> {
        node.close();
        closed.countDown();
      });
      awaitParkedInStartOnce(1);
      assertThat(closed.getCount()).isOne();
      assertThat(NodeRpcClient.of(node).call("getblockcount").asInt()).as("still up while the start is in flight")
          .isZero();
      gate.release();
      joinThreads();
    }
    assertThat(node.config().networkDirectory().resolve(".cookie")).doesNotExist();
    assertPortsFree(node.p2pAddress().getPort(), node.rpcPort());
    assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
    assertNothingLeftSince(baseline);
  }

  @Test
  void aStartThatFailsOnATakenP2pPortLeavesNothingBehindOnceClosed() throws Exception {
    LiveThreads baseline = LiveThreads.snapshot();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Node node = Node.open(TestNodes.regtest(dir).withListen((InetSocketAddress) taken.getLocalSocketAddress()));
      assertThatThrownBy(node::start).isInstanceOf(IOException.class);
      node.close();
      node.close();
    }
    assertNothingLeftSince(baseline);
  }

  @Test
  void aStartThatFailsOnATakenRpcPortCanBeRetriedAndThenClosesCleanly() throws Exception {
    LiveThreads baseline = LiveThreads.snapshot();
    Node node;
    ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    int rpcPort = taken.getLocalPort();
    try (taken) {
      node = Node.open(TestNodes.regtest(dir).withRpc("127.0.0.1", rpcPort, Optional.empty()));
      assertThatThrownBy(node::start).isInstanceOf(IOException.class);
    }
    assertThat(node.rpcPort()).as("RPC did not start").isEqualTo(-1);
    InetSocketAddress p2p = node.p2pAddress();
    assertAccepts(p2p); // the listener started before RPC failed, and stays up for the retry
    node.start();
    assertThat(node.p2pAddress()).isEqualTo(p2p);
    assertThat(NodeRpcClient.of(node).call("getblockcount").asInt()).isZero();
    node.close();
    assertPortsFree(p2p.getPort(), rpcPort);
    assertNothingLeftSince(baseline);
  }

  @Test
  void aNodeWithoutListenerOrRpcStartsAndClosesWithoutAWarning() throws Exception {
    LiveThreads baseline = LiveThreads.snapshot();
    try (LogGate log = LogGate.record(Node.class)) {
      Node node = TestNodes.start(TestNodes.regtest(dir).withListen(null).withRpc("127.0.0.1", -1, Optional.empty()));
      assertThat(node.p2pAddress()).isNull();
      assertThat(node.rpcPort()).isEqualTo(-1);
      node.close();
      assertThat(log.messages(Level.WARN)).isEmpty();
      assertThat(log.messages(Level.INFO)).anyMatch(m -> m.startsWith("peerd stopped"));
    }
    baseline.awaitNoneAdded(BOUND);
  }

  @Test
  void aNodeThatNeverStartedClosesAndReleasesItsStore() throws Exception {
    LiveThreads baseline = LiveThreads.snapshot();
    Node node = Node.open(TestNodes.regtest(dir));
    node.close();
    assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
    assertNothingLeftSince(baseline);
  }

  /** Seed 004: a fresh producer whose only peer is unreachable mines at once; it never waits to sync. */
  @Test
  void aProducerOnAFreshChainMinesAtOnceThoughItsOnlyPeerIsUnreachable() throws Exception {
    InetSocketAddress unreachable = TestNodes.unusedLoopbackAddress();
    try (Node producer = TestNodes.start(TestNodes.connectedTo(dir, unreachable))) {
      NodeRpcClient rpc = NodeRpcClient.of(producer);
      assertThat(rpc.call("getblockcount").asInt()).isZero();

      assertThat(rpc.call("generatetoaddress", 1, TestNodes.REGTEST_ADDRESS)).hasSize(1);

      assertThat(rpc.call("getblockcount").asInt()).isOne();
      assertThat(producer.snapshot().tipHeight()).isOne();
      assertThat(rpc.call("getconnectioncount").asInt()).as("nobody to sync from").isZero();
      assertThat(rpc.call("getaddednodeinfo").get(0).get("connected").asBoolean()).isFalse();
    }
  }

  @Test
  void rpcRefusesAMissingOrWrongCookieAndTheCookieLivesOnlyWhileRunning() throws Exception {
    Path cookie;
    try (Node node = TestNodes.start(TestNodes.regtest(dir))) {
      cookie = node.config().networkDirectory().resolve(".cookie");
      String secret = NodeRpcClient.readCookie(node.config().networkDirectory());
      assertThat(secret).matches("__cookie__:[0-9a-f]{64}");
      NodeRpcClient rpc = NodeRpcClient.of(node);

      assertThat(rpc.post(null, "getblockcount").statusCode()).isEqualTo(401);
      assertThat(rpc.post(NodeRpcClient.basic("__cookie__:" + "0".repeat(64)), "getblockcount").statusCode())
          .isEqualTo(401);
      assertThat(rpc.post(NodeRpcClient.basic(secret + "x"), "getblockcount").statusCode()).isEqualTo(401);
      assertThat(rpc.post(NodeRpcClient.basic(secret), "getblockcount").statusCode()).isEqualTo(200);
    }
    assertThat(cookie).doesNotExist();
  }

  @Test
  void rpcUserAndPasswordReplaceTheCookie() throws Exception {
    var credentials = Optional.of(new io.peerd.rpc.RpcConfig.Credentials("alice", "s3cret"));
    try (Node node = TestNodes.start(TestNodes.regtest(dir).withRpc("127.0.0.1", 0, credentials))) {
      assertThat(node.config().networkDirectory().resolve(".cookie")).doesNotExist();
      NodeRpcClient rpc = NodeRpcClient.withPassword(node.rpcPort(), "alice", "s3cret");
      assertThat(rpc.call("getblockcount").asInt()).isZero();
      assertThat(rpc.post(NodeRpcClient.basic("alice:wrong"), "getblockcount").statusCode()).isEqualTo(401);
      assertThat(rpc.post(NodeRpcClient.basic("bob:s3cret"), "getblockcount").statusCode()).isEqualTo(401);
      assertThat(rpc.post(null, "getblockcount").statusCode()).isEqualTo(401);
    }
  }

  // ------------------------------------------------------------ helpers

  private void spawn(String name, SpawnedThreads.Body body) {
    spawned.spawn(name, body);
  }

  /** Waits until {@code count} spawned threads wait in a {@link StartOnce} for a transition in flight. */
  private void awaitParkedInStartOnce(int count) {
    await().atMost(BOUND).pollInSameThread().pollInterval(Duration.ofMillis(5))
        .until(() -> spawned.threads().stream().filter(StartOnceWaiters::waitsForATransition).count() == count);
  }


  private static void assertAccepts(InetSocketAddress address) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) TimeUnit.SECONDS.toMillis(5));
    }
  }

  /** Nothing listens on the ports any more: they bind again. */
  private static void assertPortsFree(int... ports) throws IOException {
    for (int port : ports) {
      try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(ignored.isBound()).isTrue();
      }
    }
  }

  /** No thread started since {@code baseline} is left, and the store was closed. */
  private void assertNothingLeftSince(LiveThreads baseline) {
    baseline.awaitNoneAdded(BOUND);
    assertStoreReopens();
  }

  /** The store was closed: RocksDB's lock is free and the chain loads again. */
  private void assertStoreReopens() {
    Node reopened = Node.open(TestNodes.regtest(dir));
    reopened.close();
  }
}
