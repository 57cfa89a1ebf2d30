package io.peerd.server;

import static io.peerd.testing.TestNodes.PROMPTLY;
import static io.peerd.testing.TestNodes.awaitActive;
import static io.peerd.testing.TestNodes.awaitPeerCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.connmgr.Backoff;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerConfig;
import io.peerd.net.HostPort;
import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.Peer;
import io.peerd.peer.PeerConfig;
import io.peerd.testing.Closer;
import io.peerd.testing.LiveThreads;
import io.peerd.testing.LogGate;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TcpRelay;
import io.peerd.testing.TestNodes;
import io.peerd.testing.ThreadDump;
import io.peerd.wire.Message;
import io.peerd.wire.NetworkAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent peers on real nodes over 127.0.0.1: RPC addnode (add, remove, onetry) and
 * getaddednodeinfo, one worker and one dial per peer, address updates from addr messages,
 * self-connections, duplicates, network mismatch, handshake timeout and shutdown. Each test has
 * its own nodes, since every connection comes from 127.0.0.1 and discouragement is per IP.
 */
class PersistentPeersTest {
  private static final int CONCURRENT_ADDNODE_CALLS = 20;
  /** Retries after 100 ms, so a test sees a worker's second dial at once. */
  private static final WorkerConfig FAST_RETRY = new WorkerConfig(new Backoff(100, 1_000, 0.05, 600_000), 2_000,
      10_000);
  private static final WorkerConfig FAST_RETRY_AND_STAGGER = new WorkerConfig(FAST_RETRY.backoff(), 50, 10_000);
  /** How long "nothing more happens" is watched: several fast retries. */
  private static final Duration QUIET = Duration.ofMillis(700);

  @TempDir
  Path dir;

  @AutoClose
  private final Closer closer = new Closer();

  // ---------------------------------------------------------------- one worker, one dial

  @Test
  void twentyConcurrentRpcAddnodeCallsForOnePeerMakeOneWorkerAndOneDial() throws Exception {
    Node node = start(TestNodes.regtest(dir));
    CountingListener peer = closer.later(new CountingListener());
    NodeRpcClient rpc = NodeRpcClient.of(node);
    ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT_ADDNODE_CALLS);
    List<Future<String>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < CONCURRENT_ADDNODE_CALLS; i++) {
        replies.add(callers.submit(() -> {
          try {
            rpc.call("addnode", HostPort.format(peer.address()), "add");
            return "added";
          } catch (IOException e) {
            return e.getMessage().contains("-23") ? "already added" : e.getMessage();
          }
        }));
      }
      List<String> outcomes = new ArrayList<>();
      for (Future<String> reply : replies) {
        outcomes.add(reply.get(30, TimeUnit.SECONDS));
      }
      assertThat(outcomes).containsOnly("added", "already added").containsOnlyOnce("added");
    } finally {
      callers.shutdownNow();
    }

    await().atMost(PROMPTLY).until(() -> peer.accepted() == 1);
    Thread.sleep(QUIET.toMillis()); // a second worker or dial would show within this
    assertThat(peer.accepted()).as("dials that reached the peer").isEqualTo(1);
    assertThat(node.server().state().workers()).hasSize(1);
    assertThat(ThreadDump.countNamed(("worker-" + HostPort.format(peer.address()))::equals))
        .as("worker threads for the peer").isEqualTo(1);
    assertThat(rpc.call("getaddednodeinfo")).hasSize(1);
  }

  // ---------------------------------------------------------------- getaddednodeinfo

  @Test
  void getAddedNodeInfoShowsTheAddressWhetherConnectedTheBackoffAndTheNextAttempt() throws Exception {
    Node node = start(TestNodes.regtest(dir));
    NodeRpcClient rpc = NodeRpcClient.of(node);
    InetSocketAddress unreachable = TestNodes.unusedLoopbackAddress();
    RawPeer.Listener reachable = closer.later(RawPeer.listen());
    rpc.call("addnode", HostPort.format(unreachable), "add");
    rpc.call("addnode", HostPort.format(reachable.address()), "add");
    // held until the test ends: a discarded socket is closed by the JDK's cleaner at the next GC
    closer.later(reachable.accept().handshakeAsListener());

    JsonNode waiting = awaitAddedNodeInfo(rpc, unreachable, info -> info.path("state").asText().equals("waiting"));
    long nowSeconds = System.currentTimeMillis() / 1000;
    assertThat(waiting.path("addednode").asText()).isEqualTo(HostPort.format(unreachable));
    assertThat(waiting.path("connected").asBoolean()).isFalse();
    assertThat(waiting.path("addresses").get(0).path("address").asText()).isEqualTo(HostPort.format(unreachable));
    assertThat(waiting.path("addresses").get(0).path("connected").asText()).isEqualTo("false");
    assertThat(waiting.path("backoff_ms").asLong()).isEqualTo(Backoff.defaults().initialMillis());
    assertThat(waiting.path("next_attempt_time").asLong()).isBetween(nowSeconds - 2, nowSeconds + 2);

    JsonNode connected = awaitAddedNodeInfo(rpc, reachable.address(), info -> info.path("connected").asBoolean());
    assertThat(connected.path("state").asText()).isEqualTo("connected");
    assertThat(connected.path("addresses").get(0).path("connected").asText()).isEqualTo("outbound");
    assertThat(connected.path("backoff_ms").asLong()).isZero();
    assertThat(connected.has("next_attempt_time")).isFalse();
    assertThat(rpc.call("getaddednodeinfo")).hasSize(2);
  }

  @Test
  void getAddedNodeInfoShowsAnAddedNodeThatConnectedToUsAsConnectedInbound() throws Exception {
    Node node = start(TestNodes.regtest(dir));
    NodeRpcClient rpc = NodeRpcClient.of(node);
    InetSocketAddress added = TestNodes.unusedLoopbackAddress();
    rpc.call("addnode", HostPort.format(added), "add");

    try (RawPeer inbound = RawPeer.connect(node)) {
      inbound.handshake(RawPeer.VersionFields.defaults().withSender(added)); // "I listen at the added address"
      JsonNode info = awaitAddedNodeInfo(rpc, added, i -> i.path("connected").asBoolean());
      assertThat(info.path("addresses")).hasSize(1);
      assertThat(info.path("addresses").get(0).path("address").asText()).isEqualTo(HostPort.format(added));
      assertThat(info.path("addresses").get(0).path("connected").asText()).isEqualTo("inbound");
    }
  }

  // ---------------------------------------------------------------- remove, onetry

  @Test
  void addnodeRemoveEndsTheWorkersThread() throws Exception {
    Node node = start(TestNodes.regtest(dir));
    NodeRpcClient rpc = NodeRpcClient.of(node);
    InetSocketAddress unreachable = TestNodes.unusedLoopbackAddress();
    rpc.call("addnode", HostPort.format(unreachable), "add");
    ConnectionWorker worker = node.server().state().workers().getFirst();
    assertThat(worker.thread()).isNotNull();

    rpc.call("addnode", HostPort.format(unreachable), "remove");

    assertThat(worker.awaitStopped(PROMPTLY.toMillis())).as("the worker's thread ended").isTrue();
    assertThat(worker.info().phase()).isEqualTo(ConnectionWorker.Phase.STOPPED);
    assertThat(node.server().state().workers()).isEmpty();
    assertThat(rpc.call("getaddednodeinfo")).isEmpty();
  }

  @Test
  void addnodeOnetryDialsOnceWithoutAWorker() throws Exception {
    Node node = start(TestNodes.regtest(dir.resolve("node")).withWorker(FAST_RETRY));
    CountingListener peer = closer.later(new CountingListener());
    peer.closeEach();

    NodeRpcClient.of(node).call("addnode", HostPort.format(peer.address()), "onetry");

    await().atMost(PROMPTLY).until(() -> peer.accepted() == 1);
    assertThat(node.server().state().workers()).isEmpty();
    Thread.sleep(QUIET.toMillis()); // a worker would have retried several times by now
    assertThat(peer.accepted()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- addresses

  @Test
  void addrMessagesAboutAPersistentPeersIpAddItsOtherAddressesToItsWorker() throws Exception {
    Node node = start(TestNodes.regtest(dir));
    NodeRpcClient rpc = NodeRpcClient.of(node);
    RawPeer.Listener listener = closer.later(RawPeer.listen());
    rpc.call("addnode", HostPort.format(listener.address()), "add");
    RawPeer remote = listener.accept().handshakeAsListener();
    awaitActive(node, listener.address());
    InetSocketAddress samePeerElsewhere = new InetSocketAddress(listener.address().getAddress(), 18_999);
    // Another node, on another loopback address and a port nobody listens on: the node may dial it.
    InetSocketAddress someoneElse = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), TestNodes.freePort());

    long now = System.currentTimeMillis() / 1000;
    remote.send(new Message.Addr(List.of(new Message.TimedAddress(now, NetworkAddress.of(samePeerElsewhere, 1)),
        new Message.TimedAddress(now, NetworkAddress.of(someoneElse, 1)))));

    ConnectionWorker worker = node.server().state().workers().getFirst();
    await().atMost(PROMPTLY).until(() -> worker.info().addresses().size() == 2);
    assertThat(worker.info().addresses()).containsExactly(listener.address(), samePeerElsewhere);
    JsonNode addresses = rpc.call("getaddednodeinfo").get(0).path("addresses");
    assertThat(addresses).hasSize(2);
    assertThat(addresses.get(1).path("address").asText()).isEqualTo(HostPort.format(samePeerElsewhere));
  }

  /**
   * A worker whose round reaches a learned address that another connection already serves
   * stands down; when that connection ends, the worker (found by its learned address) dials again.
   */
  @Test
  void aWorkerThatStoodDownForAConnectionToALearnedAddressDialsAgainWhenItEnds() throws Exception {
    Node node = start(TestNodes.connectedTo(dir).withWorker(FAST_RETRY_AND_STAGGER)); // no address-book dials
    InetSocketAddress unreachable = TestNodes.unusedLoopbackAddress();
    RawPeer.Listener learned = closer.later(RawPeer.listen());
    TestNodes.addNode(node, learned.address(), Server.AddNodeCommand.ONETRY);
    RawPeer oneShot = learned.accept().handshakeAsListener();
    awaitActive(node, learned.address());
    TestNodes.addNode(node, unreachable, Server.AddNodeCommand.ADD);
    long now = System.currentTimeMillis() / 1000;
    oneShot.send(new Message.Addr(List.of(new Message.TimedAddress(now, NetworkAddress.of(learned.address(), 1)))));
    ConnectionWorker worker = node.server().state().workers().getFirst();
    await().atMost(PROMPTLY).until(() -> worker.info().addresses().size() == 2);
    awaitStoodDown(worker); // its round reached the second address, which is connected

    oneShot.close();

    try (RawPeer redialed = learned.accept().handshakeAsListener()) {
      assertThat(awaitActive(node, learned.address()).kind()).isEqualTo(ConnectionKind.MANUAL);
    }
  }

  /** Removed and added again while connected: when the connection ends, the new worker dials. */
  @Test
  void aPeerAddedAgainWhileConnectedIsDialedWhenThatConnectionEnds() throws Exception {
    Node node = start(TestNodes.connectedTo(dir).withWorker(FAST_RETRY));
    RawPeer.Listener listener = closer.later(RawPeer.listen());
    TestNodes.addNode(node, listener.address(), Server.AddNodeCommand.ADD);
    RawPeer first = listener.accept().handshakeAsListener();
    awaitActive(node, listener.address());
    TestNodes.addNode(node, listener.address(), Server.AddNodeCommand.REMOVE);
    TestNodes.addNode(node, listener.address(), Server.AddNodeCommand.ADD);
    // Added while connected, the new worker does not dial: the connection ending is what starts it.
    first.close();

    try (RawPeer redialed = listener.accept().handshakeAsListener()) {
      assertThat(awaitActive(node, listener.address()).kind()).isEqualTo(ConnectionKind.MANUAL);
    }
  }

  // ---------------------------------------------------------------- network mismatch, handshake timeout

  /**
   * A regtest and a testnet node add each other: each reads the other's version under the wrong
   * magic, disconnects and discourages 127.0.0.1, and no handshake ever completes. Each has one
   * inbound slot, which a discouraged address is never given.
   */
  @Test
  void nodesOfDifferentNetworksBothDisconnectAndDiscourage() throws Exception {
    try (LogGate handshakes = LogGate.record(Peer.class, Level.DEBUG)) {
      ServerConfig oneInboundSlot = ServerConfig.defaults(null, List.of(), false).withMaxInbound(1)
          .withDiscourageLocalPeers(true);
      Node regtest = start(TestNodes.regtest(dir.resolve("regtest")).withServer(oneInboundSlot));
      Node testnet = start(NodeConfig.defaults(NetworkParameters.TESTNET3, dir.resolve("testnet"))
          .withListen(new InetSocketAddress("127.0.0.1", 0)).withRpc("127.0.0.1", 0, Optional.empty())
          .withServer(oneInboundSlot));

      TestNodes.addNode(regtest, testnet.p2pAddress(), Server.AddNodeCommand.ADD);
      awaitFirstDialEnded(regtest);
      assertDiscouraged(testnet);

      TestNodes.addNode(testnet, regtest.p2pAddress(), Server.AddNodeCommand.ADD);
      awaitFirstDialEnded(testnet);
      assertDiscouraged(regtest);

      TestNodes.addNode(regtest, testnet.p2pAddress(), Server.AddNodeCommand.REMOVE);
      TestNodes.addNode(testnet, regtest.p2pAddress(), Server.AddNodeCommand.REMOVE);
      awaitPeerCount(regtest, 0);
      awaitPeerCount(testnet, 0);
      assertThat(handshakes.messages(Level.DEBUG)).noneMatch(m -> m.contains("handshake done"));
      assertThat(handshakes.messages(Level.INFO)).filteredOn(m -> m.contains("discouraging")).hasSize(2);
    }
  }

  @Test
  void aPersistentPeerThatNeverAnswersTimesOutWithoutDiscouragementAndIsDialedAgain() throws Exception {
    NodeConfig config = TestNodes.regtest(dir).withWorker(FAST_RETRY);
    PeerConfig peer = config.peer();
    Node node = start(config.withPeer(peer.withTimeouts(500, peer.pingIntervalMillis(), peer.pingTimeoutMillis(),
        peer.idleTimeoutMillis(), peer.checkIntervalMillis())));
    RawPeer.Listener listener = closer.later(RawPeer.listen());

    TestNodes.addNode(node, listener.address(), Server.AddNodeCommand.ADD);

    try (RawPeer silent = listener.accept()) {
      assertThat(silent.awaitClosed()).as("what the node sent before timing out").containsExactly("version");
    }
    try (RawPeer again = listener.accept()) {
      assertThat(again.next()).isInstanceOf(Message.Version.class); // the worker dialed again
    }
    try (RawPeer inbound = RawPeer.connect(node)) {
      inbound.handshake(); // 127.0.0.1 is not discouraged
      awaitActive(node, inbound.localAddress());
    }
  }

  // ---------------------------------------------------------------- self-connection, duplicates

  @Test
  void aWorkerNeverDialsItsOwnNodeAgainOnceItFoundOutAndNeverItsOwnListeningAddress() throws Exception {
    try (LogGate server = LogGate.record(Server.class, Level.DEBUG)) {
      Node node = start(TestNodes.regtest(dir).withWorker(FAST_RETRY));
      TcpRelay ownAddressElsewhere = closer.later(TcpRelay.to(node.p2pAddress()));

      TestNodes.addNode(node, ownAddressElsewhere.address(), Server.AddNodeCommand.ADD);
      TestNodes.addNode(node, node.p2pAddress(), Server.AddNodeCommand.ADD);

      ownAddressElsewhere.awaitBothEndsClosed();
      awaitPeerCount(node, 0);
      for (InetSocketAddress own : List.of(ownAddressElsewhere.address(), node.p2pAddress())) {
        await().atMost(PROMPTLY).until(() -> server.messages(Level.DEBUG).stream()
            .anyMatch(m -> m.contains("not dialing " + own) && m.contains("it is our own address")));
      }
      assertThat(server.messages(Level.INFO)).filteredOn(m -> m.contains("connected to ourselves")).hasSize(1);
      assertThat(node.server().state().peers()).isEmpty();
    }
  }

  @Test
  void aSecondOutboundConnectionToAConnectedAddressIsRefused() throws Exception {
    try (LogGate server = LogGate.record(Server.class, Level.DEBUG)) {
      Node node = start(TestNodes.regtest(dir).withWorker(FAST_RETRY));
      CountingListener.Handshaking persistent = closer.later(new CountingListener.Handshaking());
      CountingListener.Handshaking oneShot = closer.later(new CountingListener.Handshaking());

      TestNodes.addNode(node, persistent.address(), Server.AddNodeCommand.ADD);
      awaitActive(node, persistent.address());
      TestNodes.addNode(node, persistent.address(), Server.AddNodeCommand.ONETRY);

      TestNodes.addNode(node, oneShot.address(), Server.AddNodeCommand.ONETRY);
      awaitActive(node, oneShot.address());
      TestNodes.addNode(node, oneShot.address(), Server.AddNodeCommand.ADD);

      await().atMost(PROMPTLY).until(() -> server.messages(Level.INFO).stream()
          .anyMatch(m -> m.contains("onetry " + persistent.address()) && m.contains("already connected")));
      Thread.sleep(QUIET.toMillis()); // the worker added while connected must not dial meanwhile
      assertThat(persistent.accepted()).isEqualTo(1);
      assertThat(oneShot.accepted()).isEqualTo(1);
      assertThat(node.server().state().peers()).extracting(ServerState.PeerEntry::kind)
          .containsExactlyInAnyOrder(ConnectionKind.MANUAL, ConnectionKind.ONE_TRY);
    }
  }

  // ---------------------------------------------------------------- shutdown

  /**
   * Workers connected, handshaking, waiting to retry and never started dialing: shutdown stops
   * and joins each, and leaves no thread (virtual ones included), socket or timer behind.
   */
  @Test
  void shutdownStopsAndJoinsEveryWorkerAndLeavesNoThreadSocketOrTimer() throws Exception {
    LiveThreads platformThreads = LiveThreads.snapshot();
    ThreadDump allThreads = ThreadDump.snapshot();
    Node node = TestNodes.start(TestNodes.regtest(dir));
    int periodicTimers = node.timers().pendingCount(); // the server's tick and the sync manager's
    CountingListener.Handshaking connected = closer.later(new CountingListener.Handshaking());
    CountingListener silent = closer.later(new CountingListener());
    InetSocketAddress unreachable = TestNodes.unusedLoopbackAddress();
    for (InetSocketAddress peer : List.of(connected.address(), silent.address(), unreachable)) {
      TestNodes.addNode(node, peer, Server.AddNodeCommand.ADD);
    }
    awaitActive(node, connected.address());
    await().atMost(PROMPTLY).until(() -> silent.accepted() == 1);
    List<ConnectionWorker> workers = node.server().state().workers();
    await().atMost(PROMPTLY).until(() -> workers.getLast().info().phase() == ConnectionWorker.Phase.WAITING);

    node.server().shutdownPeers().get(5, TimeUnit.SECONDS);
    await().atMost(PROMPTLY).until(() -> workers.stream()
        .allMatch(worker -> worker.info().phase() == ConnectionWorker.Phase.STOPPED)); // their timers cancelled
    assertThat(node.timers().pendingCount()).as("timers left: the periodic ones only").isEqualTo(periodicTimers);
    node.close();

    for (ConnectionWorker worker : workers) {
      assertThat(worker.thread().isAlive()).as("joined by close").isFalse();
      assertThat(worker.info().phase()).isEqualTo(ConnectionWorker.Phase.STOPPED);
    }
    assertThat(node.transport().openSocketCount()).isZero();
    platformThreads.awaitNoneAdded(PROMPTLY);
    await().atMost(PROMPTLY).until(() -> allThreads.addedNamed(
        name -> name.startsWith("worker-") || name.startsWith("dial-") || name.startsWith("peer-")
            || name.startsWith("accept-") || name.startsWith("peerd-")), List::isEmpty);
  }

  // ---------------------------------------------------------------- helpers

  /** The node's worker made its first dial and saw it end (the remote closed it). */
  private static void awaitFirstDialEnded(Node node) {
    ConnectionWorker worker = node.server().state().workers().getFirst();
    await().atMost(PROMPTLY).until(() -> worker.info().backoffMillis() > 0);
  }

  /** A new connection from 127.0.0.1 is closed before any handshake (the node's one slot is not for it). */
  private static void assertDiscouraged(Node node) throws IOException {
    try (RawPeer probe = RawPeer.connect(node.p2pAddress(), node.params().magic(), 0)) {
      assertThat(probe.awaitClosed()).isEmpty();
    }
  }

  /**
   * Waits until the worker stood down: idle again after its first command (it asked to dial) and
   * the server's refusal as already connected; idle alone is also how a worker starts.
   */
  private static void awaitStoodDown(ConnectionWorker worker) {
    await().atMost(PROMPTLY)
        .until(() -> worker.handledCount() >= 2 && worker.info().phase() == ConnectionWorker.Phase.IDLE);
  }

  /** Polls RPC getaddednodeinfo for {@code added} until its entry satisfies {@code condition}. */
  private static JsonNode awaitAddedNodeInfo(NodeRpcClient rpc, InetSocketAddress added,
      Predicate<JsonNode> condition) {
    return await().atMost(PROMPTLY).until(() -> rpc.call("getaddednodeinfo", HostPort.format(added)).get(0),
        condition);
  }


  private Node start(NodeConfig config) throws Exception {
    return closer.later(TestNodes.start(config));
  }

  /**
   * A listening socket on 127.0.0.1 that counts the connections it accepts and keeps them open
   * and silent (or closes each at once), to count a node's dials.
   */
  static class CountingListener implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private volatile boolean closeEach;
    private final Thread acceptor;

    CountingListener() throws IOException {
      acceptor = Thread.ofVirtual().name("counting-listener").start(this::acceptLoop);
    }

    private void acceptLoop() {
      try {
        while (true) {
          Socket socket = server.accept();
          accepted.add(socket);
          if (closeEach) {
            socket.close();
          } else {
            serve(socket);
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    /** What happens on an accepted connection besides being counted: nothing. */
    void serve(Socket socket) {}

    void closeEach() {
      closeEach = true;
    }

    InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    int accepted() {
      return accepted.size();
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join();
      for (Socket socket : accepted) {
        socket.close();
      }
    }

    /** A counting listener that completes the node's outbound handshake on each connection. */
    static final class Handshaking extends CountingListener {
      Handshaking() throws IOException {}

      @Override
      void serve(Socket socket) {
        Thread.ofVirtual().name("handshaking-peer").start(() -> {
          try {
            RawPeer.over(socket).handshakeAsListener(); // then stays open and silent
          } catch (IOException | AssertionError e) {
            // the node or the test closed it
          }
        });
      }
    }
  }
}
