package io.peerd.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.testing.TestNodes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The product's timers on their one real thread: run, repeat, cancel, survive a failing task, close. */
class ScheduledTimersTest {
  private static final long NEVER_MILLIS = 3_600_000;

  private final ScheduledTimers timers = new ScheduledTimers("test timers", Thread.ofPlatform().daemon().factory());

  @AfterEach
  void closeTimers() {
    timers.close();
  }

  @Test
  void aOneShotTimerRunsOnceAndLeavesTheQueue() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);

    timers.once(0, ran::countDown);

    assertThat(ran.await(TestNodes.PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    await().atMost(TestNodes.PROMPTLY).until(() -> timers.handledCount() == 1);
    assertThat(timers.pendingCount()).isZero();
    assertThat(timers.busySinceNanos()).as("idle again").isZero();
    assertThat(timers.name()).isEqualTo("test timers");
    assertThat(timers.thread()).isNotNull();
  }

  @Test
  void aCancelledTimerLeavesTheQueueAtOnceAndNeverRuns() {
    AtomicInteger runs = new AtomicInteger();
    Timers.Timer timer = timers.once(NEVER_MILLIS, runs::incrementAndGet);
    assertThat(timers.pendingCount()).isOne();

    timer.cancel();
    timer.cancel();

    assertThat(timers.pendingCount()).isZero();
    assertThat(runs).hasValue(0);
  }

  /** An exception would end a periodic timer silently; it is logged and the timer goes on. */
  @Test
  void aPeriodicTimerKeepsRunningAfterItsTaskThrows() {
    AtomicInteger runs = new AtomicInteger();

    timers.every(1, () -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("deliberate");
      }
    });

    await().atMost(TestNodes.PROMPTLY).until(() -> runs.get() >= 3);
    assertThat(timers.pendingCount()).as("still scheduled").isOne();
  }

  /** Due tasks behind a task in hand are the timer thread's "mailbox", which the watchdog reads. */
  @Test
  void tasksDueBehindABusyTaskCountAsItsMailboxDepth() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    timers.once(0, () -> {
      entered.countDown();
      awaitQuietly(release);
    });
    assertThat(entered.await(TestNodes.PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    timers.once(0, () -> {});
    timers.once(NEVER_MILLIS, () -> {});

    assertThat(timers.mailboxDepth()).as("the due one, not the later one").isOne();
    assertThat(timers.busySinceNanos()).isNotZero();
    release.countDown();
    await().atMost(TestNodes.PROMPTLY).until(() -> timers.mailboxDepth() == 0 && timers.handledCount() == 2);
  }

  @Test
  void closeCancelsEveryTimerAndEndsTheThread() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    timers.once(0, () -> {});
    await().atMost(TestNodes.PROMPTLY).until(() -> timers.handledCount() == 1);
    timers.once(NEVER_MILLIS, runs::incrementAndGet);
    timers.every(NEVER_MILLIS, runs::incrementAndGet);

    timers.close();

    assertThat(timers.pendingCount()).isZero();
    timers.thread().join(TestNodes.PROMPTLY.toMillis());
    assertThat(timers.thread().isAlive()).isFalse();
    assertThat(runs).hasValue(0);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
