package io.peerd.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Starts a blocking call on its own thread and hands it back once the call waits. */
final class Parked {
  private static final long WAIT_SECONDS = 10;

  private Parked() {}

  interface Blocking<T> {
    T call() throws InterruptedException;
  }

  /**
   * Runs {@code call} on a new thread and returns once that thread is parked in it (the call
   * found nothing to do and waits), so the test's next step exercises the wake-up.
   */
  static <T> CompletableFuture<T> parkedOnNewThread(Blocking<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      started.countDown();
      try {
        result.complete(call.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "test-waiter");
    thread.setDaemon(true);
    thread.start();
    try {
      started.await();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (thread.getState() != Thread.State.WAITING && !result.isDone()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("waiter never parked: " + thread.getState());
        }
        Thread.onSpinWait();
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(result).as("the call must wait, not return at once").isNotDone();
    return result;
  }
}
