package io.peerd.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.testing.CountingThreads;
import io.peerd.testing.FakePeer;
import io.peerd.testing.FakeTransport;
import io.peerd.testing.FakeWorkerHost;
import io.peerd.testing.ManualTimers;
import io.peerd.testing.TestNodes;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One {@link ConnectionWorker} on free-running threads, behind a fake server and transport, with
 * timers fired by hand and a clock set by hand.
 */
class ConnectionWorkerTest {
  private static final InetSocketAddress PEER = address(18_444);
  private static final long SEED = 7;
  private static final int FLOOD = 10_000;

  private final ManualTimers timers = new ManualTimers();
  private final CountingThreads threads = new CountingThreads();
  private final AtomicLong clockMillis = new AtomicLong(1_000_000);
  private FakeWorkerHost host;
  private FakeTransport transport;
  private ConnectionWorker worker;

  @AfterEach
  void stopWorker() throws InterruptedException {
    if (worker != null) {
      worker.stop();
      assertThat(worker.awaitStopped(TestNodes.PROMPTLY.toMillis())).isTrue();
      threads.joinAll(TestNodes.PROMPTLY);
    }
  }

  private ConnectionWorker start(boolean grantAtOnce, IntPredicate connects, boolean holdConnects) {
    host = new FakeWorkerHost(grantAtOnce, null);
    transport = new FakeTransport(connects, holdConnects);
    worker = new ConnectionWorker(PEER, host, transport, WorkerConfig.defaults(), timers, threads, threads,
        clockMillis::get, new Random(SEED), 0);
    worker.start();
    return worker;
  }

  /**
   * Seed 002's lost stop: the worker is busy (inside a call to the server) with its one counted
   * slot taken by a pending command and thousands of replies queued; stop still ends it after
   * the message in hand, and nothing queued runs.
   */
  @Test
  void stopEndsTheWorkerAfterTheMessageInHandHoweverFullItsMailbox() throws Exception {
    host = new FakeWorkerHost(false, null);
    host.holdRequests();
    transport = new FakeTransport(i -> true, false);
    worker = new ConnectionWorker(PEER, host, transport, WorkerConfig.defaults(), timers, threads, threads,
        clockMillis::get, new Random(SEED), 0);
    worker.start();
    worker.connect();
    awaitRequests(1); // the worker is now held inside requestDial
    worker.standDown();
    worker.updateAddresses(List.of(PEER, address(18_445)));
    worker.connect();
    for (int i = 0; i < FLOOD; i++) {
      worker.dialPermitted(1);
      worker.attemptEnded(1, -1);
    }

    worker.stop();
    host.releaseRequests();

    assertThat(worker.awaitStopped(TestNodes.PROMPTLY.toMillis())).as("the worker's thread ended").isTrue();
    assertThat(worker.handledCount()).as("messages handled").isEqualTo(1);
    assertThat(worker.info().phase()).isEqualTo(ConnectionWorker.Phase.STOPPED);
    assertThat(host.requested()).containsExactly(1L);
    assertThat(host.failed()).as("each grant left in the mailbox handed back").hasSize(FLOOD).containsOnly(1L);
    assertThat(transport.dials()).isEmpty();
    assertThat(timers.liveCount()).isZero();
  }

  /**
   * The server forgets a dial when it asks the worker to stand down; a connect right after must
   * not let the worker go on with that forgotten dial, even when both commands arrive as one.
   */
  @Test
  void aStandDownFollowedByAConnectStillAbandonsTheCurrentAttempt() throws Exception {
    host = new FakeWorkerHost(true, null);
    host.holdRequests();
    transport = new FakeTransport(i -> true, true);
    worker = new ConnectionWorker(PEER, host, transport, WorkerConfig.defaults(), timers, threads, threads,
        clockMillis::get, new Random(SEED), 0);
    worker.start();
    worker.connect();
    awaitRequests(1); // held inside requestDial for attempt 1: the next two commands coalesce
    worker.standDown();
    worker.connect();
    host.releaseRequests();

    awaitRequests(2); // a new round: the first attempt was abandoned
    await().atMost(TestNodes.PROMPTLY).until(() -> host.failed().contains(1L)); // its grant handed back
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().phase() == ConnectionWorker.Phase.DIALING);
    assertThat(host.requested()).hasSize(2).startsWith(1L);
    assertThat(transport.dials()).hasSize(1); // only the new round dialed
  }

  @Test
  void failedRoundsWaitADoublingJitteredBackoffThatInfoShowsAndAStableConnectionResetsIt() throws Exception {
    start(true, i -> i >= 2, false); // the first two dials are refused
    Random jitter = new Random(SEED);
    Backoff backoff = WorkerConfig.defaults().backoff();

    worker.connect();
    awaitWaiting(1_000, clockMillis.get() + backoff.withJitter(1_000, jitter.nextDouble()));
    clockMillis.addAndGet(1_000);
    timers.all().getLast().fire();
    awaitWaiting(2_000, clockMillis.get() + backoff.withJitter(2_000, jitter.nextDouble()));
    timers.all().getLast().fire();

    await().atMost(TestNodes.PROMPTLY).until(() -> host.handed().size() == 1);
    long attempt = host.handed().getFirst().attempt();
    worker.attemptConnected(attempt);
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().connected());
    assertThat(worker.info().nextAttemptAtMillis()).isZero();
    worker.attemptEnded(attempt, backoff.stableMillis());
    awaitWaiting(1_000, clockMillis.get() + backoff.withJitter(1_000, jitter.nextDouble())); // reset, then one step
  }

  @Test
  void aShortConnectionKeepsDoublingTheBackoff() throws Exception {
    start(true, i -> true, false);
    worker.connect();
    await().atMost(TestNodes.PROMPTLY).until(() -> host.handed().size() == 1);
    long attempt = host.handed().getFirst().attempt();
    worker.attemptConnected(attempt);
    worker.attemptEnded(attempt, 5_000);
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().phase() == ConnectionWorker.Phase.WAITING);
    timers.all().getLast().fire();
    await().atMost(TestNodes.PROMPTLY).until(() -> host.handed().size() == 2);
    attempt = host.handed().getLast().attempt();
    worker.attemptConnected(attempt);
    worker.attemptEnded(attempt, 5_000);
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().backoffMillis() == 2_000);
  }

  @Test
  void aRoundTriesEachAddressInTurnStaggeredThenBacksOff() throws Exception {
    start(true, i -> false, false);
    worker.updateAddresses(List.of(PEER, address(18_445)));
    worker.connect();
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().phase() == ConnectionWorker.Phase.WAITING);
    assertThat(worker.info().backoffMillis()).as("a stagger, not a backoff").isZero();
    assertThat(worker.info().nextAttemptAtMillis())
        .isEqualTo(clockMillis.get() + WorkerConfig.defaults().staggerMillis());
    timers.all().getLast().fire();
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().backoffMillis() == 1_000);
    assertThat(transport.dials()).extracting(FakeTransport.FakeDial::remote).containsExactly(PEER, address(18_445));
    assertThat(host.failed()).as("each failed dial reported, so the server forgets it").isEqualTo(host.requested());
  }

  @Test
  void aConnectionThatEndsDuringItsHandshakeMovesOnToTheNextAddress() throws Exception {
    start(true, i -> true, false);
    worker.updateAddresses(List.of(PEER, address(18_445)));
    worker.connect();
    await().atMost(TestNodes.PROMPTLY).until(() -> host.handed().size() == 1);

    worker.attemptEnded(host.lastHandedAttempt(), -1);
    awaitWaiting(0, clockMillis.get() + WorkerConfig.defaults().staggerMillis()); // a stagger, not a backoff
    timers.all().getLast().fire();

    await().atMost(TestNodes.PROMPTLY).until(() -> host.handed().size() == 2);
    assertThat(transport.dials()).extracting(FakeTransport.FakeDial::remote).containsExactly(PEER, address(18_445));
  }

  @Test
  void aStandDownWhileWaitingCancelsTheWaitAndIdles() throws Exception {
    start(true, i -> false, false);
    worker.connect();
    awaitWaiting(1_000, clockMillis.get() + WorkerConfig.defaults().backoff().withJitter(1_000,
        new Random(SEED).nextDouble()));
    assertThat(timers.liveCount()).isOne();

    worker.standDown();

    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().phase() == ConnectionWorker.Phase.IDLE);
    assertThat(timers.liveCount()).as("the backoff timer cancelled").isZero();
    assertThat(worker.info().nextAttemptAtMillis()).isZero();
  }

  /**
   * Every attempt has an id of its own: a grant for an attempt a stand-down abandoned, arriving
   * after the next attempt began, is handed back, not taken for the new attempt's grant.
   */
  @Test
  void aLateGrantForAnAbandonedAttemptIsHandedBackNotDialed() throws Exception {
    start(false, i -> true, false);
    worker.connect();
    awaitRequests(1);
    long abandoned = host.lastAttempt();
    worker.standDown();
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().phase() == ConnectionWorker.Phase.IDLE);
    worker.connect();
    awaitRequests(2);

    worker.dialPermitted(abandoned);

    await().atMost(TestNodes.PROMPTLY).until(() -> host.failed().contains(abandoned));
    assertThat(host.requested()).doesNotHaveDuplicates();
    assertThat(transport.dials()).isEmpty();
    assertThat(worker.info().phase()).isEqualTo(ConnectionWorker.Phase.REQUESTED);
  }

  /**
   * The round was waiting to try its second address when the list shrank to one: the round goes
   * on from the last address there is.
   */
  @Test
  void anAddressListThatShrinksWhileWaitingForTheNextAddressGoesOnFromTheLastOne() throws Exception {
    host = new FakeWorkerHost(i -> false, null); // every dial request refused
    transport = new FakeTransport(i -> true, false);
    worker = new ConnectionWorker(PEER, host, transport, WorkerConfig.defaults(), timers, threads, threads,
        clockMillis::get, new Random(SEED), 0);
    worker.start();
    worker.updateAddresses(List.of(PEER, address(18_445), address(18_446)));
    worker.connect();
    awaitWaiting(0, clockMillis.get() + WorkerConfig.defaults().staggerMillis()); // on to the second address

    worker.updateAddresses(List.of(PEER));
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().addresses().size() == 1);
    timers.all().getLast().fire();

    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().backoffMillis() == 1_000); // the round ended
    assertThat(host.requested()).hasSize(2);
    assertThat(worker.failureCount()).isZero();
  }

  /**
   * The round was at its second address when the list shrank to one, between the request and the
   * grant: the grant still dials the address the server recorded as being dialed, and the round
   * goes on from a valid position.
   */
  @Test
  void anAddressListThatShrinksBetweenRequestAndGrantStillDialsTheGrantedAddress() throws Exception {
    start(false, i -> false, false);
    worker.updateAddresses(List.of(PEER, address(18_445)));
    worker.connect();
    awaitRequests(1);
    worker.dialRefused(host.lastAttempt(), false); // on to the second address, after the stagger
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().phase() == ConnectionWorker.Phase.WAITING);
    timers.all().getLast().fire();
    awaitRequests(2);

    worker.updateAddresses(List.of(PEER));
    worker.dialPermitted(host.lastAttempt());

    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().backoffMillis() > 0); // that dial failed: a backoff
    assertThat(transport.dials()).extracting(FakeTransport.FakeDial::remote).containsExactly(address(18_445));
    assertThat(worker.failureCount()).isZero();
  }

  @Test
  void addressUpdatesAreSeenAtOnceAndKeepTheFirstAndTheLatestAddresses() throws Exception {
    start(false, i -> true, false);
    host.holdRequests();
    worker.connect();
    awaitRequests(1); // the worker's thread is held: it cannot apply the update yet
    List<InetSocketAddress> many = IntStream.range(0, 20).mapToObj(i -> address(19_000 + i)).toList();

    worker.updateAddresses(many);

    List<InetSocketAddress> kept = worker.addresses();
    assertThat(kept).hasSize(ConnectionWorker.MAX_ADDRESSES).startsWith(many.getFirst())
        .endsWith(many.subList(20 - ConnectionWorker.MAX_ADDRESSES + 1, 20).toArray(InetSocketAddress[]::new));
    assertThat(worker.info().addresses()).as("not applied by the worker yet").containsExactly(PEER);
    host.releaseRequests();
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().addresses().equals(kept));
  }

  private void awaitRequests(int count) {
    await().atMost(TestNodes.PROMPTLY).until(() -> host.requested().size() >= count);
  }

  private void awaitWaiting(long backoffMillis, long nextAttemptAtMillis) {
    await().atMost(TestNodes.PROMPTLY).until(() -> worker.info().phase() == ConnectionWorker.Phase.WAITING
        && worker.info().backoffMillis() == backoffMillis);
    assertThat(worker.info().nextAttemptAtMillis()).isEqualTo(nextAttemptAtMillis);
    assertThat(worker.info().connected()).isFalse();
  }

  private static InetSocketAddress address(int port) {
    return new InetSocketAddress(FakePeer.LOOPBACK, port);
  }
}
