package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerd.server.Server;
import io.peerd.testing.HangingAddress;
import io.peerd.testing.LiveThreads;
import io.peerd.testing.SpawnedThreads;
import io.peerd.testing.TestNodes;
import io.peerd.testing.TrackedConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node closed while connections come in and dials go out leaves nothing open: the listener
 * closes before the server stops (no accepted socket reaches a server that no longer reads its
 * mailbox), dials in flight are cancelled (not left to their ten-second timeout), and whatever
 * reaches a stopped server is closed or failed. Counted in file descriptors, which virtual
 * threads blocked on sockets hold too.
 */
class NodeShutdownTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  /** Far below the ten-second dial timeout: a dial left to time out is still open after this. */
  private static final Duration RELEASED_PROMPTLY = Duration.ofSeconds(3);
  private static final Path OWN_FILE_DESCRIPTORS = Path.of("/proc/self/fd");

  @TempDir
  Path dir;

  private final SpawnedThreads spawned = new SpawnedThreads();

  @AfterEach
  void joinThreads() throws InterruptedException {
    spawned.joinAll(BOUND);
  }

  @Test
  void closeWhileDialingInAndOutLeavesNoSocketAndNoThread() throws Exception {
    TestNodes.start(TestNodes.regtest(dir.resolve("warm-up"))).close(); // files the JVM opens once, opened
    try (HangingAddress onetry = HangingAddress.open(); HangingAddress persistent = HangingAddress.open()) {
      LiveThreads threads = LiveThreads.snapshot();
      long descriptorsBefore = openFileDescriptors();
      Node node = TestNodes.start(TestNodes.regtest(dir.resolve("node")));
      TestNodes.addNode(node, onetry.address(), Server.AddNodeCommand.ONETRY);
      TestNodes.addNode(node, persistent.address(), Server.AddNodeCommand.ADD);
      AtomicBoolean dialingIn = new AtomicBoolean(true);
      ConcurrentLinkedQueue<Socket> inbound = new ConcurrentLinkedQueue<>();
      spawned.spawn("dialing-in", () -> dialIn(node.p2pAddress(), dialingIn, inbound));
      await("inbound connections under way").atMost(BOUND).until(() -> inbound.size() >= 5);

      node.close();
      dialingIn.set(false);
      spawned.joinAll(BOUND);
      for (Socket socket : inbound) {
        socket.close();
      }

      assertThat(node.transport().openSocketCount()).isZero();
      await("file descriptors back to " + descriptorsBefore).atMost(RELEASED_PROMPTLY)
          .until(NodeShutdownTest::openFileDescriptors, count -> count <= descriptorsBefore);
      threads.awaitNoneAdded(BOUND);
    }
  }

  /** Sent after the server stopped: the socket is closed and the request fails, at once. */
  @Test
  void whatReachesAStoppedServerIsClosedOrFailedNotLeftQueued() throws Exception {
    Node node = TestNodes.start(TestNodes.regtest(dir));
    Server server = node.server();
    node.close();
    TrackedConnection late = new TrackedConnection(new InetSocketAddress("127.0.0.1", 1));

    server.inboundAccepted(late);
    assertThat(late.closes()).isOne();
    assertThatThrownBy(() -> server.addNode(new InetSocketAddress("127.0.0.1", 2), Server.AddNodeCommand.ADD)
        .get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("server stopped");
    assertThat(server.mailboxDepth()).isZero();
  }

  /** Connects to the node over and over, keeping each socket open, until told to stop. */
  private static void dialIn(InetSocketAddress node, AtomicBoolean dialing, ConcurrentLinkedQueue<Socket> opened)
      throws InterruptedException {
    while (dialing.get()) {
      Socket socket = new Socket();
      try {
        socket.connect(node, 1_000);
        opened.add(socket);
      } catch (IOException refused) {
        Thread.sleep(1); // the listener closed (a failed connect closed the socket): try until told to stop
      }
    }
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> descriptors = Files.list(OWN_FILE_DESCRIPTORS)) {
      return descriptors.count();
    }
  }
}
