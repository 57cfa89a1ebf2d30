package io.peerd.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Platform threads (what a model checker schedules), counted and joinable, so a test can assert
 * how many threads some code started and that every one ended. A class rather than
 * {@code Thread::new}: Lincheck 3.7 loses track of objects built through constructor references.
 */
public final class CountingThreads implements ThreadFactory {
  private final Object lock = new Object();
  private final List<Thread> threads = new ArrayList<>();

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task);
    synchronized (lock) {
      threads.add(thread);
    }
    return thread;
  }

  public List<Thread> threads() {
    synchronized (lock) {
      return List.copyOf(threads);
    }
  }

  public int created() {
    return threads().size();
  }

  /** Joins every thread made so far, without a timeout (a model checker reports a hang itself). */
  public void joinAll() throws InterruptedException {
    for (Thread thread : threads()) {
      thread.join();
    }
  }

  /** Joins every thread made so far within {@code bound} in all; fails naming one still alive. */
  public void joinAll(Duration bound) throws InterruptedException {
    long deadlineNanos = System.nanoTime() + bound.toNanos();
    for (Thread thread : threads()) {
      thread.join(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
      if (thread.isAlive()) {
        throw new AssertionError(thread + " still alive after " + bound);
      }
    }
  }
}
