package io.peerd.rpc;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server's executor, bounded like bitcoind's work queue: {@code threadCount} workers
 * behind a queue of {@code workQueueDepth} exchanges. An exchange arriving when both are full
 * goes to one shedding thread instead (behind a queue of {@link #SHED_QUEUE_DEPTH}), where the
 * handler sees {@link #isShedding()} and answers 503 at once, as Core answers "Work queue depth
 * exceeded". Past that queue too, the JDK server closes the connection unanswered.
 */
final class RpcExecutor implements Executor {
  static final int SHED_QUEUE_DEPTH = 64;

  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor shedder;
  private final ThreadLocal<Boolean> shedding = ThreadLocal.withInitial(() -> false);

  RpcExecutor(int threadCount, int workQueueDepth) {
    workers = pool(threadCount, workQueueDepth, "rpc-worker-");
    shedder = pool(1, SHED_QUEUE_DEPTH, "rpc-shed-");
  }

  @Override
  public void execute(Runnable exchange) {
    try {
      workers.execute(exchange);
    } catch (RejectedExecutionException full) {
      shedder.execute(() -> shed(exchange)); // may throw too: the JDK server then closes the connection
    }
  }

  /** Whether the calling thread is running an exchange that found the work queue full. */
  boolean isShedding() {
    return shedding.get();
  }

  /**
   * Refuses new exchanges, gives running ones until {@code timeoutMillis} to finish, then
   * interrupts them. Queued exchanges still run (their connections are closed by then).
   */
  void shutdown(long timeoutMillis) {
    workers.shutdown();
    shedder.shutdownNow(); // it only writes 503s
    try {
      if (!workers.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void shed(Runnable exchange) {
    shedding.set(true);
    try {
      exchange.run();
    } finally {
      shedding.set(false);
    }
  }

  private static ThreadPoolExecutor pool(int threadCount, int queueDepth, String namePrefix) {
    return new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queueDepth), Thread.ofPlatform().name(namePrefix, 1).daemon().factory());
  }
}
