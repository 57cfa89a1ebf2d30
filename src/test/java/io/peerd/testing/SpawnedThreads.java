package io.peerd.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Platform threads a test starts, whose failures are kept; {@link #joinAll} (in an
 * {@code @AfterEach}) asserts each ended within a bound and none failed.
 */
public final class SpawnedThreads {
  /** What a spawned thread runs. */
  public interface Body {
    void run() throws Exception;
  }

  private final ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  public Thread spawn(String name, Body body) {
    Thread thread = Thread.ofPlatform().name(name).start(() -> {
      try {
        body.run();
      } catch (Exception | Error e) {
        failures.add(e);
      }
    });
    threads.add(thread);
    return thread;
  }

  public List<Thread> threads() {
    return List.copyOf(threads);
  }

  public void joinAll(Duration bound) throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(bound.toMillis());
      assertThat(thread.isAlive()).as("%s still running", thread.getName()).isFalse();
    }
    assertThat(failures).isEmpty();
  }
}
