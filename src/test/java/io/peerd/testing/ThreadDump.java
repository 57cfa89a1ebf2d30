package io.peerd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every live thread, virtual ones included, from the JDK's thread dump (which, unlike
 * {@link Thread#getAllStackTraces}, lists virtual threads): to count a product's worker, dial and
 * peer threads, and to show that code left none behind.
 */
public final class ThreadDump {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One live thread: its id (never reused) and name. */
  public record LiveThread(long tid, String name) {}

  private final Set<Long> before;

  private ThreadDump(Set<Long> before) {
    this.before = before;
  }

  /** Remembers the threads alive now, for {@link #addedNamed}. */
  public static ThreadDump snapshot() {
    return new ThreadDump(all().stream().map(LiveThread::tid).collect(Collectors.toSet()));
  }

  /** Names of threads started since the snapshot, still alive, whose name {@code wanted} accepts. */
  public List<String> addedNamed(Predicate<String> wanted) {
    return all().stream().filter(t -> !before.contains(t.tid()) && wanted.test(t.name()))
        .map(LiveThread::name).toList();
  }

  /** Live threads whose name {@code wanted} accepts. */
  public static long countNamed(Predicate<String> wanted) {
    return all().stream().filter(t -> wanted.test(t.name())).count();
  }

  public static List<LiveThread> all() {
    try {
      Path file = Files.createTempFile("threads", ".json");
      Files.delete(file); // the dump refuses to overwrite
      try {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        List<LiveThread> threads = new ArrayList<>();
        for (JsonNode container : JSON.readTree(file.toFile()).path("threadDump").path("threadContainers")) {
          for (JsonNode thread : container.path("threads")) {
            threads.add(new LiveThread(thread.path("tid").asLong(), thread.path("name").asText()));
          }
        }
        return threads;
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
