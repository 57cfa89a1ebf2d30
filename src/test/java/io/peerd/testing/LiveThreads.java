package io.peerd.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Platform threads alive before and after some code, to show it left none behind. JDK-owned
 * shared threads that outlive any one user (virtual-thread carriers and pollers, the common pool,
 * the HTTP client's selector, the JDK's innocuous system threads) are not counted. Virtual threads
 * are not listed by the JDK; tests check the sockets those own instead.
 */
public final class LiveThreads {
  private static final List<String> SHARED_PREFIXES = List.of("ForkJoinPool", "HttpClient-", "process reaper",
      "Common-Cleaner", "Attach Listener", "Signal Dispatcher", "Notification Thread", "VirtualThread-",
      "MasterPoller", "SubPoller", "Read-Poller", "Write-Poller");

  private final Set<Thread> before;

  private LiveThreads(Set<Thread> before) {
    this.before = before;
  }

  public static LiveThreads snapshot() {
    return new LiveThreads(Thread.getAllStackTraces().keySet());
  }

  /** The names of threads started since the snapshot that are still alive, one per thread. */
  public List<String> added() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .filter(t -> !t.getClass().getName().equals("jdk.internal.misc.InnocuousThread"))
        .map(Thread::getName)
        .filter(name -> SHARED_PREFIXES.stream().noneMatch(name::startsWith))
        .toList();
  }

  /** Waits, at most {@code bound}, until every thread started since the snapshot has ended. */
  public void awaitNoneAdded(Duration bound) {
    await("threads started since the snapshot end").atMost(bound).pollInSameThread()
        .pollInterval(Duration.ofMillis(20)).until(this::added, List::isEmpty);
  }
}
