package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.peerd.testing.SpawnedThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StartOnce}'s promises (seed 004), made deterministic with latches: an action blocks until
 * the test has seen every other caller parked inside start() or stop() (a thread state, polled
 * with a bound, never a sleep), then is released.
 */
class StartOnceTest {
  private static final int CALLERS = 8;
  private static final Duration BOUND = Duration.ofSeconds(10);

  /** Everything the actions did, in order. */
  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
  private final AtomicInteger starts = new AtomicInteger();
  private final AtomicInteger stops = new AtomicInteger();
  private final SpawnedThreads spawned = new SpawnedThreads();

  @AfterEach
  void joinThreads() throws InterruptedException {
    spawned.joinAll(BOUND);
  }

  @Test
  void concurrentStartsRunTheStartOnceAndAllReturnAfterItCompleted() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartOnce service = new StartOnce("service", () -> {
      starts.incrementAndGet();
      entered.countDown();
      awaitLatch(release);
      events.add("started");
    }, stops::incrementAndGet);
    ConcurrentLinkedQueue<String> sawOnReturn = new ConcurrentLinkedQueue<>();

    for (int i = 0; i < CALLERS; i++) {
      spawn("starter-" + i, () -> {
        service.start();
        sawOnReturn.add(String.join(",", events));
      });
    }
    awaitLatch(entered);
    awaitAllParkedButOne();
    assertThat(sawOnReturn).as("nobody returns while the start is in flight").isEmpty();
    release.countDown();
    joinThreads();

    assertThat(starts).hasValue(1);
    assertThat(sawOnReturn).hasSize(CALLERS).containsOnly("started");
    assertThat(service.isStarted()).isTrue();
    service.start(); // already started: returns at once, runs nothing
    assertThat(starts).hasValue(1);
  }

  @Test
  void aFailedStartIsRetriedByAWaiterAndByALaterCall() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartOnce service = new StartOnce("service", () -> {
      int attempt = starts.incrementAndGet();
      if (attempt == 1) {
        entered.countDown();
        awaitLatch(release);
        throw new java.io.IOException("port taken");
      }
      if (attempt == 2) {
        throw new IllegalStateException("still failing");
      }
    }, stops::incrementAndGet);
    ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();

    spawn("first", () -> outcomes.add(outcome(service::start)));
    awaitLatch(entered);
    spawn("waiter", () -> outcomes.add(outcome(service::start)));
    awaitAllParkedButOne();
    release.countDown();
    joinThreads();

    // The first caller sees its own failure; the waiter then starts it itself (attempt 2), and fails too.
    assertThat(outcomes).containsExactlyInAnyOrder("port taken", "still failing");
    assertThat(service.isStarted()).isFalse();
    service.start(); // attempt 3 succeeds
    assertThat(starts).hasValue(3);
    assertThat(service.isStarted()).isTrue();
    service.stop(BOUND.toMillis());
    assertThat(stops).hasValue(1);
  }

  @Test
  void stopWaitsForAStartInFlightThenStops() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartOnce service = new StartOnce("service", () -> {
      entered.countDown();
      awaitLatch(release);
      events.add("started");
    }, () -> events.add("stopped"));

    spawn("starter", service::start);
    awaitLatch(entered);
    spawn("stopper", () -> {
      service.stop(BOUND.toMillis());
      events.add("stop returned");
    });
    awaitAllParkedButOne();
    assertThat(events).isEmpty();
    release.countDown();
    joinThreads();

    assertThat(events).containsExactly("started", "stopped", "stop returned");
    assertThat(service.isStarted()).isFalse();
    assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class);
  }

  /** Node.close must end even when a service's start hangs: its stop gives up after the bound. */
  @Test
  void stopGivesUpOnAStartThatOutlastsTheBoundAndALaterStopStopsIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartOnce service = new StartOnce("service", () -> {
      entered.countDown();
      awaitLatch(release);
    }, stops::incrementAndGet);
    spawn("starter", service::start);
    awaitLatch(entered);

    assertThatThrownBy(() -> service.stop(1)).isInstanceOf(java.util.concurrent.TimeoutException.class)
        .hasMessageContaining("service");
    assertThat(stops).hasValue(0);
    release.countDown();
    joinThreads();
    service.stop(BOUND.toMillis());
    assertThat(stops).hasValue(1);
  }

  @Test
  void stopOfANeverStartedServiceRunsNothingAndLaterStartsAreRefused() throws Exception {
    StartOnce service = new StartOnce("service", starts::incrementAndGet, stops::incrementAndGet);
    service.stop(BOUND.toMillis());
    service.stop(BOUND.toMillis());
    assertThat(stops).hasValue(0);
    assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("service");
    assertThat(starts).hasValue(0);
    assertThat(service.isStarted()).isFalse();
  }

  @Test
  void concurrentStopsRunTheStopOnceAndAllReturnAfterIt() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StartOnce service = new StartOnce("service", starts::incrementAndGet, () -> {
      stops.incrementAndGet();
      entered.countDown();
      awaitLatch(release);
      events.add("stopped");
    });
    service.start();
    ConcurrentLinkedQueue<String> sawOnReturn = new ConcurrentLinkedQueue<>();

    for (int i = 0; i < CALLERS; i++) {
      spawn("stopper-" + i, () -> {
        service.stop(BOUND.toMillis());
        sawOnReturn.add(String.join(",", events));
      });
    }
    awaitLatch(entered);
    awaitAllParkedButOne();
    assertThat(sawOnReturn).isEmpty();
    release.countDown();
    joinThreads();

    assertThat(stops).hasValue(1);
    assertThat(sawOnReturn).hasSize(CALLERS).containsOnly("stopped");
    assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class);
    assertThat(starts).hasValue(1);
  }

  @Test
  void aFailedStopStillEndsTheService() throws Exception {
    StartOnce service = new StartOnce("service", starts::incrementAndGet, () -> {
      stops.incrementAndGet();
      throw new java.io.IOException("close failed");
    });
    service.start();
    assertThatThrownBy(() -> service.stop(BOUND.toMillis())).hasMessage("close failed");
    service.stop(BOUND.toMillis()); // already stopped: not run again
    assertThat(stops).hasValue(1);
    assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aServiceWrappedRunningStopsOnceAndDoesNotStartAgain() throws Exception {
    StartOnce service = StartOnce.running("store", stops::incrementAndGet);
    assertThat(service.isStarted()).isTrue();
    service.start(); // running: returns at once
    service.stop(BOUND.toMillis());
    service.stop(BOUND.toMillis());
    assertThat(stops).hasValue(1);
    assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class);
  }

  // ------------------------------------------------------------ helpers

  private void spawn(String name, SpawnedThreads.Body body) {
    spawned.spawn(name, body);
  }

  /** Every spawned thread but the one inside the action waits in start() or stop() for it. */
  private void awaitAllParkedButOne() {
    await().atMost(BOUND).pollInSameThread().pollInterval(Duration.ofMillis(1))
        .until(() -> {
          List<Thread> threads = spawned.threads();
          return threads.stream().filter(StartOnceWaiters::waitsForATransition).count() == threads.size() - 1;
        });
  }

  private static String outcome(SpawnedThreads.Body body) {
    try {
      body.run();
      return "ok";
    } catch (Exception e) {
      return e.getMessage();
    }
  }

  private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
    if (!latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("latch not released within " + BOUND);
    }
  }
}
