package io.peerd.testing;

import io.peerd.actor.Timers;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Timers} that fire only when a test says so, so model-checking tests decide when a
 * deadline passes. Records every timer; {@link #liveCount} counts those neither fired nor cancelled.
 */
public final class ManualTimers implements Timers {
  private final Object lock = new Object();
  private final List<ManualTimer> timers = new ArrayList<>();

  /** One scheduled timer. */
  public static final class ManualTimer implements Timer {
    private final Runnable task;
    private final boolean periodic;
    private final Object lock = new Object();
    private boolean cancelled;
    private boolean fired;

    ManualTimer(Runnable task, boolean periodic) {
      this.task = task;
      this.periodic = periodic;
    }

    @Override
    public void cancel() {
      synchronized (lock) {
        cancelled = true;
      }
    }

    /** Runs the task unless cancelled (or, for a one-shot timer, already fired). */
    public void fire() {
      synchronized (lock) {
        if (cancelled || (fired && !periodic)) {
          return;
        }
        fired = true;
      }
      task.run();
    }

    boolean live() {
      synchronized (lock) {
        return !cancelled && !(fired && !periodic);
      }
    }
  }

  @Override
  public Timer once(long delayMillis, Runnable task) {
    return add(new ManualTimer(task, false));
  }

  @Override
  public Timer every(long periodMillis, Runnable task) {
    return add(new ManualTimer(task, true));
  }

  private ManualTimer add(ManualTimer timer) {
    synchronized (lock) {
      timers.add(timer);
    }
    return timer;
  }

  public List<ManualTimer> all() {
    synchronized (lock) {
      return List.copyOf(timers);
    }
  }

  public long liveCount() {
    return all().stream().filter(ManualTimer::live).count();
  }
}
