package io.peerd.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerd.testing.ManualTimers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private static final long STALL_MILLIS = 10_000;

  /** An actor whose handler waits for a permit: stuck on each message until the test lets one go. */
  static final class Stuck extends Actor<String> {
    final Semaphore permits = new Semaphore(0);
    final CountDownLatch entered = new CountDownLatch(1);

    Stuck() {
      super("stuck", new Mailbox(8), Thread.ofPlatform().name("stuck-actor").factory());
    }

    @Override
    protected void handle(String message) {
      entered.countDown();
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void send(String message) {
      tell(message);
    }
  }

  private final Stuck actor = new Stuck();
  /** Not 0: a stall's time is the clock's difference, never its value. */
  private final AtomicLong nowNanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));
  private final Watchdog watchdog = new Watchdog(() -> List.of(actor), List::of, STALL_MILLIS, nowNanos::get);

  @AfterEach
  void releaseActor() throws InterruptedException {
    actor.permits.release(Integer.MAX_VALUE / 2);
    actor.stop();
    actor.awaitStopped(5_000);
  }

  @Test
  void reportsAStuckActorOnceWithDepthAndStackAndClearsWhenItMovesAgain() throws Exception {
    actor.start();
    actor.send("first");
    actor.send("second");
    actor.send("third");
    assertThat(actor.entered.await(5, TimeUnit.SECONDS)).isTrue();
    watchdog.check();
    advance(STALL_MILLIS - 1);
    watchdog.check();
    assertThat(watchdog.stalls()).isEmpty();

    advance(1);
    watchdog.check();
    watchdog.check();
    assertThat(watchdog.stallCount()).as("one report per stall").isEqualTo(1);
    assertThat(watchdog.stallCount(actor)).as("counted for the actor too, for metrics").isEqualTo(1);
    Watchdog.Stall stall = watchdog.stalls().getFirst();
    assertThat(stall.subject()).isEqualTo("actor 'stuck'");
    assertThat(stall.detail()).contains("2 messages waiting");
    assertThat(stall.stack()).anyMatch(frame -> frame.contains("WatchdogTest$Stuck.handle"));

    actor.permits.release(); // one message handled: busy again at once, with work waiting
    await().atMost(Duration.ofSeconds(5)).until(() -> actor.handledCount() == 1);
    watchdog.check();
    assertThat(watchdog.stalls()).as("it moved: no longer stalled").isEmpty();
    assertThat(watchdog.stallCount()).isEqualTo(1);
    assertThat(watchdog.stallCount(actor)).isEqualTo(1);

    advance(STALL_MILLIS);
    watchdog.check();
    assertThat(watchdog.stallCount()).as("stuck on the next message: a new stall").isEqualTo(2);
    assertThat(watchdog.stallCount(actor)).isEqualTo(2);
  }

  @Test
  void anIdleActorIsNeverStalled() {
    actor.start();
    watchdog.check();
    advance(STALL_MILLIS * 10);
    watchdog.check();
    assertThat(watchdog.stalls()).isEmpty();
    assertThat(watchdog.stallCount()).isZero();
  }

  /** The same with the real timer thread: the node keeps running and the report appears on its own. */
  @Test
  void theTimerDrivenWatchdogReportsAStuckActor() throws Exception {
    try (ScheduledTimers timers = new ScheduledTimers("test timers", Thread.ofPlatform().daemon().factory())) {
      Watchdog live = new Watchdog(() -> List.of(actor), List::of, 100, System::nanoTime);
      actor.start();
      actor.send("first");
      actor.send("second");
      live.start(timers);
      await().atMost(Duration.ofSeconds(10)).until(() -> live.stallCount() == 1);
      assertThat(live.stalls()).extracting(Watchdog.Stall::subject).containsExactly("actor 'stuck'");
      live.stop();
    }
  }

  @Test
  void aSymptomThatLastsTheStallTimeIsReportedOnceAndClearsWhenItGoes() {
    List<Watchdog.Symptom> present = new java.util.concurrent.CopyOnWriteArrayList<>();
    Watchdog symptoms = new Watchdog(List::of, () -> List.copyOf(present), STALL_MILLIS, nowNanos::get);
    present.add(new Watchdog.Symptom("sync", "behind with nothing asked", List.of(Thread.currentThread())));
    symptoms.check();
    advance(STALL_MILLIS - 1);
    symptoms.check();
    assertThat(symptoms.stalls()).isEmpty();

    advance(1);
    symptoms.check();
    symptoms.check();
    assertThat(symptoms.stallCount()).isEqualTo(1);
    assertThat(symptoms.stalls()).singleElement().satisfies(stall -> {
      assertThat(stall.subject()).isEqualTo("sync");
      assertThat(stall.stalledMillis()).isEqualTo(STALL_MILLIS);
      assertThat(stall.stack()).anyMatch(frame -> frame.contains("aSymptomThatLastsTheStallTime"));
    });

    present.clear();
    symptoms.check();
    assertThat(symptoms.stalls()).isEmpty();
    present.add(new Watchdog.Symptom("sync", "behind with nothing asked", List.of()));
    symptoms.check();
    assertThat(symptoms.stalls()).as("back again: its time starts over").isEmpty();
  }

  /** The node's timer thread reports like an actor: a task stuck in hand with others due is a stall. */
  @Test
  void aStuckTimerThreadIsReportedByAWatchdogOnOtherTimers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    try (ScheduledTimers stuck = new ScheduledTimers("timers", Thread.ofPlatform().daemon().factory());
        ScheduledTimers own = new ScheduledTimers("watchdog timers", Thread.ofPlatform().daemon().factory())) {
      stuck.once(0, () -> {
        entered.countDown();
        awaitQuietly(release);
      });
      stuck.once(0, () -> {});
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
      Watchdog live = new Watchdog(() -> List.of(stuck), List::of, 100, System::nanoTime);
      live.start(own);
      await().atMost(Duration.ofSeconds(10)).until(() -> live.stallCount() == 1);
      assertThat(live.stalls()).singleElement().satisfies(stall -> {
        assertThat(stall.subject()).isEqualTo("actor 'timers'");
        assertThat(stall.stack()).anyMatch(frame -> frame.contains("awaitQuietly"));
      });
      live.stop();
      release.countDown();
    }
  }

  @Test
  void aStallTimeMustBePositive() {
    assertThatThrownBy(() -> new Watchdog(List::of, List::of, 0, System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void startArmsOneTimerAndStopCancelsIt() {
    ManualTimers timers = new ManualTimers();
    watchdog.start(timers);
    watchdog.start(timers);
    assertThat(timers.liveCount()).isOne();

    watchdog.stop();

    assertThat(timers.liveCount()).isZero();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void advance(long millis) {
    nowNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }
}
