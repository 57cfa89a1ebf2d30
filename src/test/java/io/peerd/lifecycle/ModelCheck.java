package io.peerd.lifecycle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;

/** Runs a scenario under Lincheck's model checker and says how many schedules it explored. */
final class ModelCheck {
  /** The plain run before exploring takes milliseconds; one that takes this long hangs. */
  static final long PLAIN_RUN_BOUND_MILLIS = 20_000;

  /** What one scenario run does; Lincheck re-runs it under a different thread schedule each time. */
  interface Scenario {
    void run() throws Exception;
  }

  /** How a check went: schedules explored (up to and including a failing one) and wall time. */
  record Outcome(int schedules, long millis, Throwable failure) {
    @Override
    public String toString() {
      return schedules + " schedules in " + millis + " ms" + (failure == null ? "" : ", found: " + firstLine(failure));
    }

    private static String firstLine(Throwable failure) {
      return String.valueOf(failure.getMessage()).lines().filter(l -> !l.isBlank()).limit(3).toList().toString();
    }
  }

  private ModelCheck() {}

  /**
   * Explores up to {@code schedules} schedules; a violation or deadlock ends the run early. The
   * scenario first runs once without the model checker, so that class initialization (which the
   * model checker does not schedule) is over before exploring starts.
   */
  static Outcome explore(int schedules, Scenario scenario) {
    runPlainOnce(scenario);
    AtomicInteger runs = new AtomicInteger();
    long start = System.nanoTime();
    Throwable failure = null;
    try {
      Lincheck.runConcurrentTest(schedules, () -> {
        runs.incrementAndGet();
        try {
          scenario.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (Throwable e) {
      failure = e;
    }
    Outcome outcome = new Outcome(runs.get(), (System.nanoTime() - start) / 1_000_000, failure);
    System.out.println("model check: " + outcome);
    return outcome;
  }

  /**
   * Runs the scenario once, bounded: a scenario built to deadlock (a seed bug put back) may
   * deadlock here too, outside the checker, which must still find it. Then its threads are
   * interrupted (those blocked in an interruptible wait end) and exploring goes on.
   */
  private static void runPlainOnce(Scenario scenario) {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Thread plain = new Thread(() -> {
      try {
        scenario.run();
      } catch (Exception | AssertionError e) {
        System.out.println("model check: failed before exploring: " + e);
      }
    }, "model-check-plain-run");
    plain.setDaemon(true);
    plain.start();
    try {
      plain.join(PLAIN_RUN_BOUND_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (plain.isAlive()) {
      System.out.println("model check: the plain run hung for " + PLAIN_RUN_BOUND_MILLIS + " ms; interrupting it");
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        if (!before.contains(thread) && Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("io.peerd."))) {
          thread.interrupt();
        }
      });
    }
  }

  /** Starts each task on its own platform thread and joins them all. */
  static void concurrently(Runnable... tasks) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (Runnable task : tasks) {
      Thread thread = ActorSystem.THREADS.newThread(task);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
