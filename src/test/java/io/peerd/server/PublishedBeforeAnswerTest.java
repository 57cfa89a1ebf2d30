package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerConfig;
import io.peerd.connmgr.WorkerHost;
import io.peerd.testing.CountingThreads;
import io.peerd.testing.FakeTransport;
import io.peerd.testing.ManualTimers;
import io.peerd.testing.TestNodes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server publishes its state once it has caught up with its mailbox, and also before it
 * answers a request: a caller holding the answer reads what the request did, even while the server
 * is already busy with the next message. Here the server is held inside the next request (its
 * worker factory waits) right after it answered, so it cannot have caught up in between.
 */
class PublishedBeforeAnswerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final InetSocketAddress FIRST = new InetSocketAddress(LOOPBACK, 20_000);
  private static final InetSocketAddress ANSWERED = new InetSocketAddress(LOOPBACK, 20_001);
  private static final InetSocketAddress NEXT = new InetSocketAddress(LOOPBACK, 20_002);

  private final ManualTimers timers = new ManualTimers();
  private final CountingThreads threads = new CountingThreads();
  private final FakeTransport transport = new FakeTransport(i -> true, true);
  /** The server waits inside these addresses' requests until their latch opens. */
  private final Map<InetSocketAddress, CountDownLatch> held = Map.of(FIRST, new CountDownLatch(1),
      NEXT, new CountDownLatch(1));
  private final CountDownLatch firstEntered = new CountDownLatch(1);

  @Test
  void aCallerHoldingTheAnswerSeesTheChangeWhileTheServerIsBusyWithTheNextRequest() throws Exception {
    Server server = WorkerServers.create(WorkerServers.config(List.of()), transport, this::worker, timers, threads,
        () -> 0);
    server.start();
    CompletableFuture<Void> first = server.addNode(FIRST, Server.AddNodeCommand.ADD);
    assertThat(firstEntered.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> answered = server.addNode(ANSWERED, Server.AddNodeCommand.ADD);
    CompletableFuture<Void> next = server.addNode(NEXT, Server.AddNodeCommand.ADD);

    held.get(FIRST).countDown();
    answered.get(5, TimeUnit.SECONDS);
    assertThat(server.state().workers()).extracting(ConnectionWorker::peer).contains(ANSWERED);

    held.get(NEXT).countDown();
    first.get(5, TimeUnit.SECONDS);
    next.get(5, TimeUnit.SECONDS);
    server.stop();
    assertThat(server.awaitStopped(TestNodes.PROMPTLY.toMillis())).isTrue();
    assertThat(server.state().awaitWorkersStopped(TestNodes.PROMPTLY.toMillis())).isTrue();
    threads.joinAll(TestNodes.PROMPTLY);
  }

  /** Lets a held server go on even when an assertion failed first. */
  @AfterEach
  void release() {
    held.values().forEach(CountDownLatch::countDown);
  }

  private ConnectionWorker worker(InetSocketAddress peer, WorkerHost host, long firstDelayMillis) {
    if (peer.equals(FIRST)) {
      firstEntered.countDown();
    }
    CountDownLatch latch = held.get(peer);
    if (latch != null) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new ConnectionWorker(peer, host, transport, WorkerConfig.defaults(), timers, threads, threads, () -> 0,
        new Random(1), firstDelayMillis);
  }
}
