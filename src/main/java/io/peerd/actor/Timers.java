package io.peerd.actor;

/**
 * Cancellable timers. Every timer is cancelled by its owner when its reason ends; the product
 * uses {@link ScheduledTimers}, tests may fire timers by hand.
 */
public interface Timers {
  /** A scheduled timer; cancelling twice, or after it ran, does nothing. */
  interface Timer {
    void cancel();
  }

  /** Runs {@code task} once after {@code delayMillis}; the task must not block. */
  Timer once(long delayMillis, Runnable task);

  /** Runs {@code task} every {@code periodMillis}, first after one period; the task must not block. */
  Timer every(long periodMillis, Runnable task);
}
