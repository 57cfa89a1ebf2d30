package io.peerd.node;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * Lincheck explores thread interleavings of {@link StartOnce} (model checking, platform threads):
 * the start action runs exactly once however starts race, nobody returns before it completed, and a
 * stop racing a start either refuses the start or stops what started, after it started.
 */
class StartOnceModelCheckTest {
  private static final int INVOCATIONS = Integer.getInteger("lincheck.invocations", 1_000);

  @Test
  void racingStartsRunTheStartExactlyOnceAndReturnAfterIt() {
    Lincheck.runConcurrentTest(INVOCATIONS, () -> {
      AtomicInteger starts = new AtomicInteger();
      AtomicBoolean started = new AtomicBoolean();
      StartOnce service = new StartOnce("service", () -> {
        starts.incrementAndGet();
        started.set(true);
      }, () -> {});
      AtomicReferenceArray<String> sawOnReturn = new AtomicReferenceArray<>(3);
      runInThreads(3, i -> {
        service.start();
        sawOnReturn.set(i, started.get() ? "started" : "not yet");
      });
      check(starts.get() == 1, "start ran " + starts.get() + " times");
      for (int i = 0; i < 3; i++) {
        check(sawOnReturn.get(i).equals("started"), "start() " + i + " returned before the start completed");
      }
    });
  }

  @Test
  void aStopRacingAStartRefusesItOrStopsAfterIt() {
    Lincheck.runConcurrentTest(INVOCATIONS, () -> {
      AtomicInteger starts = new AtomicInteger();
      AtomicInteger stops = new AtomicInteger();
      AtomicBoolean started = new AtomicBoolean();
      AtomicBoolean stoppedBeforeStarted = new AtomicBoolean();
      StartOnce service = new StartOnce("service", () -> {
        starts.incrementAndGet();
        started.set(true);
      }, () -> {
        stops.incrementAndGet();
        stoppedBeforeStarted.set(!started.get());
      });
      AtomicReferenceArray<String> outcome = new AtomicReferenceArray<>(3);
      runInThreads(3, i -> {
        try {
          if (i == 2) {
            service.stop(3_600_000);
          } else {
            service.start();
          }
          outcome.set(i, "ok");
        } catch (IllegalStateException refused) {
          outcome.set(i, "refused");
        }
      });
      check(!stoppedBeforeStarted.get(), "the stop ran before the start completed");
      check(starts.get() <= 1 && stops.get() == starts.get(), starts + " starts, " + stops + " stops");
      check(outcome.get(2).equals("ok"), "stop: " + outcome.get(2));
      boolean anyStartReturned = outcome.get(0).equals("ok") || outcome.get(1).equals("ok");
      check(starts.get() == (anyStartReturned ? 1 : 0), "start outcomes " + outcome + ", " + starts + " starts");
      check(!service.isStarted(), "still started after stop");
    });
  }

  /** Plain checks: AssertJ's objects confuse Lincheck's tracing. */
  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  private interface Body {
    void run(int index) throws Exception;
  }

  /** Runs {@code count} platform threads and joins them; a thread's failure fails the invocation. */
  private static void runInThreads(int count, Body body) {
    AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(count);
    Thread[] threads = new Thread[count];
    for (int i = 0; i < count; i++) {
      int index = i;
      threads[i] = new Thread(() -> {
        try {
          body.run(index);
        } catch (Throwable e) {
          failures.set(index, e);
        }
      });
      threads[i].start();
    }
    for (int i = 0; i < count; i++) {
      try {
        threads[i].join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      if (failures.get(i) != null) {
        throw new AssertionError("thread " + i + " failed", failures.get(i));
      }
    }
  }
}
