package io.peerd.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckSettings;

/** Runs a scenario under Lincheck's model checker and says how many schedules it explored. */
final class ModelCheck {
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

  /**
   * Lincheck's report when one schedule ran past its wall-clock limit (30 s, fixed in Lincheck 3.7):
   * a deadlock the model checker could not see as one, or a machine too loaded to finish in time.
   */
  private static final String HUNG = "Concurrent test has hung";

  private ModelCheck() {}

  /** Explores up to {@code schedules} schedules; a violation or deadlock ends the run early. */
  static Outcome explore(int schedules, Scenario scenario) {
    return explore(schedules, LincheckSettings.Companion.getDEFAULT().getLoopBound(), scenario);
  }

  /**
   * Like {@link #explore(int, Scenario)}, for scenarios whose threads legitimately loop more than
   * Lincheck's default 50 times (a thread sending 100 commands, an actor handling 100 messages):
   * past {@code loopBound} iterations of one loop, Lincheck reports a livelock. The bound is only
   * settable through Lincheck's internal entry point ({@code runConcurrentTestInternal}).
   */
  static Outcome explore(int schedules, int loopBound, Scenario scenario) {
    Outcome outcome = exploreOnce(schedules, loopBound, scenario);
    if (outcome.failure() != null && String.valueOf(outcome.failure().getMessage()).contains(HUNG)) {
      System.out.println("model check: a schedule outlasted Lincheck's fixed 30 s wall-clock limit; "
          + "exploring again, since a real hang hangs again while a loaded machine may not");
      outcome = exploreOnce(schedules, loopBound, scenario);
    }
    return outcome;
  }

  private static Outcome exploreOnce(int schedules, int loopBound, Scenario scenario) {
    AtomicInteger runs = new AtomicInteger();
    long start = System.nanoTime();
    Throwable failure = null;
    try {
      LincheckSettings defaults = LincheckSettings.Companion.getDEFAULT();
      LincheckSettings settings = new LincheckSettings(defaults.getAnalyzeStdLib(),
          defaults.getLoopIterationsBeforeThreadSwitch(), loopBound, defaults.getRecursionBound());
      Lincheck.runConcurrentTestInternal$lincheck(schedules, settings, () -> {
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
