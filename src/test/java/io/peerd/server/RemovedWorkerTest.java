package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerConfig;
import io.peerd.testing.CountingThreads;
import io.peerd.testing.FakeTransport;
import io.peerd.testing.ManualTimers;
import io.peerd.testing.TestNodes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker removed by RPC addnode stays listed, and joined by what node shutdown calls
 * ({@link ServerState#awaitWorkersStopped}), until its thread has ended: without that, a node
 * stopped right after a removal could leave the thread running.
 * Here the worker's thread lingers after the worker stopped until the test lets it end.
 */
class RemovedWorkerTest {
  private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_000);
  private static final InetSocketAddress NEVER_ADDED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_001);

  /** How long a join is shown to wait for the lingering thread (it would wait as long as allowed). */
  private static final long LINGER_CHECK_MILLIS = 200;

  private final ManualTimers timers = new ManualTimers();
  private final CountingThreads threads = new CountingThreads();
  private final CountDownLatch threadMayEnd = new CountDownLatch(1);

  @Test
  void aRemovedWorkerIsListedForShutdownUntilItsThreadEnded() throws Exception {
    Server server = startServerWithOnePersistentPeer();
    ConnectionWorker worker = server.state().workers().getFirst();

    server.addNode(PEER, Server.AddNodeCommand.REMOVE).get(5, TimeUnit.SECONDS);
    assertThat(server.state().workers()).isEmpty();
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().phase() == ConnectionWorker.Phase.STOPPED);
    tickAndWait(server);
    assertThat(server.state().stoppingWorkers()).as("stopped, thread still running").containsExactly(worker);
    assertThat(server.state().awaitWorkersStopped(LINGER_CHECK_MILLIS)).as("shutdown's join waits for it")
        .isFalse();

    threadMayEnd.countDown();
    assertThat(server.state().awaitWorkersStopped(TestNodes.PROMPTLY.toMillis())).isTrue();
    tickAndWait(server);
    assertThat(server.state().stoppingWorkers()).as("pruned once its thread ended").isEmpty();

    server.stop();
    assertThat(server.awaitStopped(TestNodes.PROMPTLY.toMillis())).isTrue();
    threads.joinAll(TestNodes.PROMPTLY);
  }

  /** Lets lingering threads end even when an assertion failed first. */
  @AfterEach
  void releaseThreads() {
    threadMayEnd.countDown();
  }

  private Server startServerWithOnePersistentPeer() {
    ServerConfig config = WorkerServers.config(List.of(PEER));
    FakeTransport transport = new FakeTransport(i -> true, true);
    ThreadFactory lingeringThreads = task -> threads.newThread(() -> {
      task.run();
      awaitQuietly(threadMayEnd);
    });
    Server server = WorkerServers.create(config, transport, (address, host, firstDelayMillis) ->
        new ConnectionWorker(address, host, transport, WorkerConfig.defaults(), timers, lingeringThreads, threads,
            () -> 0, new Random(1), firstDelayMillis), timers, threads, () -> 0);
    server.start();
    await().atMost(TestNodes.PROMPTLY).until(() -> server.state().workers().size() == 1);
    return server;
  }

  /** Fires every timer (the server's tick among them), then waits until the server handled the tick. */
  private void tickAndWait(Server server) throws Exception {
    timers.all().forEach(ManualTimers.ManualTimer::fire);
    // A request the server answers after everything queued before it: the tick included.
    server.addNode(NEVER_ADDED, Server.AddNodeCommand.REMOVE).handle((ok, refused) -> null).get(5, TimeUnit.SECONDS);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
