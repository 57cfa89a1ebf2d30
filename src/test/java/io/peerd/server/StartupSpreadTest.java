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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * At startup the server dials ten persistent peers at once and spreads the rest over a random
 * delay of up to 30 s. The real server and workers run; the transport holds every dial and the
 * timers fire only by hand, so each worker's phase right after start shows which kind it is.
 */
class StartupSpreadTest {
  private static final int PERSISTENT_PEERS = 15;
  private static final long NOW_MILLIS = 1_000_000;

  @Test
  void tenPersistentPeersAreDialedAtOnceAndTheRestAfterARandomDelayOfUpTo30Seconds() throws Exception {
    List<InetSocketAddress> peers = IntStream.range(0, PERSISTENT_PEERS)
        .mapToObj(i -> new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_000 + i)).toList();
    ServerConfig config = WorkerServers.config(peers);
    FakeTransport transport = new FakeTransport(i -> true, true);
    ManualTimers timers = new ManualTimers();
    CountingThreads threads = new CountingThreads();
    List<Long> firstDelays = new CopyOnWriteArrayList<>();
    Server server = WorkerServers.create(config, transport, (address, host, firstDelayMillis) -> {
      firstDelays.add(firstDelayMillis);
      return new ConnectionWorker(address, host, transport, WorkerConfig.defaults(), timers, threads, threads,
          () -> NOW_MILLIS, new Random(1), firstDelayMillis);
    }, timers, threads, () -> NOW_MILLIS);

    server.start();
    await().atMost(TestNodes.PROMPTLY).until(() -> server.state().workers().stream()
        .filter(w -> w.info().phase() == ConnectionWorker.Phase.DIALING).count() == PersistentPeers.PERSISTENT_PEERS_DIALED_AT_ONCE);
    List<ConnectionWorker> workers = server.state().workers();

    assertThat(workers).extracting(ConnectionWorker::peer).containsExactlyElementsOf(peers);
    assertThat(firstDelays.subList(0, 10)).containsOnly(0L);
    assertThat(firstDelays.subList(10, PERSISTENT_PEERS))
        .allSatisfy(delay -> assertThat(delay).isPositive().isLessThanOrEqualTo(PersistentPeers.MAX_STARTUP_DELAY_MILLIS));
    for (int i = 0; i < PERSISTENT_PEERS; i++) {
      ConnectionWorker.Info info = workers.get(i).info();
      if (i < PersistentPeers.PERSISTENT_PEERS_DIALED_AT_ONCE) {
        assertThat(info.phase()).as(info.peer() + " dials at once").isEqualTo(ConnectionWorker.Phase.DIALING);
      } else {
        assertThat(info.phase()).as(info.peer() + " waits").isEqualTo(ConnectionWorker.Phase.WAITING);
        assertThat(info.nextAttemptAtMillis()).isEqualTo(NOW_MILLIS + firstDelays.get(i));
        assertThat(info.backoffMillis()).as("a startup delay is no backoff").isZero();
      }
    }
    assertThat(transport.dials()).extracting(FakeTransport.FakeDial::remote)
        .containsExactlyInAnyOrderElementsOf(peers.subList(0, PersistentPeers.PERSISTENT_PEERS_DIALED_AT_ONCE));

    server.stop();
    assertThat(server.awaitStopped(TestNodes.PROMPTLY.toMillis())).isTrue();
    for (ConnectionWorker worker : workers) {
      assertThat(worker.awaitStopped(TestNodes.PROMPTLY.toMillis())).isTrue();
    }
    assertThat(transport.dials()).allMatch(FakeTransport.FakeDial::cancelled);
    assertThat(timers.liveCount()).as("timers left").isZero();
    threads.joinAll(TestNodes.PROMPTLY);
  }
}
