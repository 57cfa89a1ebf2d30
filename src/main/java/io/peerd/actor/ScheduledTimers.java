package io.peerd.actor;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Timers} on one scheduler thread. Tasks only enqueue messages or close sockets, so one
 * thread is enough. Cancelled timers leave the queue at once, so {@link #pendingCount} is the
 * number of live timers (tests assert it returns to its baseline).
 */
public final class ScheduledTimers implements Timers, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScheduledTimers.class);

  private final ScheduledThreadPoolExecutor executor;

  public ScheduledTimers(ThreadFactory threadFactory) {
    executor = new ScheduledThreadPoolExecutor(1, threadFactory);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  @Override
  public Timer once(long delayMillis, Runnable task) {
    return wrap(executor.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS));
  }

  @Override
  public Timer every(long periodMillis, Runnable task) {
    return wrap(executor.scheduleWithFixedDelay(guarded(task), periodMillis, periodMillis, TimeUnit.MILLISECONDS));
  }

  /** Timers scheduled and neither run (one-shot) nor cancelled. */
  public int pendingCount() {
    return executor.getQueue().size();
  }

  private static Timer wrap(ScheduledFuture<?> future) {
    return () -> future.cancel(false);
  }

  /** An exception would silently end a periodic timer; log it and keep the timer alive. */
  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("timer task failed", e);
      }
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
