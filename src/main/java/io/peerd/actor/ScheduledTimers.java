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
 * number of live timers (tests assert it returns to its baseline). It reports its progress as an
 * actor does (due tasks as its mailbox), so a {@link Watchdog} on other timers sees it stuck.
 */
public final class ScheduledTimers implements Timers, ActorProgress, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScheduledTimers.class);
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final String name;
  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;
  private volatile long ranCount;
  private volatile long busySinceNanos;

  public ScheduledTimers(String name, ThreadFactory threadFactory) {
    this.name = name;
    executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread created = threadFactory.newThread(task);
      thread = created;
      return created;
    });
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
  private Runnable guarded(Runnable task) {
    return () -> {
      busySinceNanos = System.nanoTime();
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("timer task failed", e);
      } finally {
        busySinceNanos = 0;
        ranCount++;
      }
    };
  }

  @Override
  public String name() {
    return name;
  }

  /** Tasks due and not yet run: O(timers), for the watchdog's occasional look. */
  @Override
  public int mailboxDepth() {
    int due = 0;
    for (Runnable queued : executor.getQueue()) {
      if (queued instanceof ScheduledFuture<?> future && future.getDelay(TimeUnit.NANOSECONDS) <= 0) {
        due++;
      }
    }
    return due;
  }

  @Override
  public long handledCount() {
    return ranCount;
  }

  @Override
  public long busySinceNanos() {
    return busySinceNanos;
  }

  @Override
  public Thread thread() {
    return thread;
  }

  /** Cancels every timer and waits (bounded) for a task in hand to end. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        log.warn("{}: a timer task still runs {} ms after close", name, CLOSE_WAIT_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
