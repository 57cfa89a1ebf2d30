package io.peerd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CPU of peerd's JVMs went during a timed sync, by operating-system thread (Linux
 * {@code /proc/<pid>/task}; elsewhere nothing is reported): which actor was busy, and how much the
 * JIT, the GC and RocksDB's native background threads took. Virtual threads (each peer's reader,
 * writer and lifecycle) run on the ForkJoinPool carriers, so peer I/O shows up there.
 *
 * <p>With both nodes in this JVM, actor threads that exist at the start belong to the producer
 * (it started first) and those started meanwhile to the follower; the rest is shared.
 */
final class ThreadCpu {
  private static final Path PROC = Path.of("/proc");
  private static final double TICKS_PER_SECOND = 100;
  private static final double MIN_SECONDS_SHOWN = 0.02;
  private static final String JIT_GROUP = "JIT compilers";

  /** A thread's CPU so far, in clock ticks: in the JVM's own code, and in the kernel for it (system calls). */
  private record Task(String name, long userTicks, long kernelTicks) {}

  /** CPU of a group of threads, in clock ticks. */
  private record Used(long userTicks, long kernelTicks) {
    long ticks() {
      return userTicks + kernelTicks;
    }

    Used plus(Used other) {
      return new Used(userTicks + other.userTicks, kernelTicks + other.kernelTicks);
    }
  }

  record Snapshot(long wallNanos, Map<String, Task> byTid) {}

  private ThreadCpu() {}

  /** One process's threads as they are now (empty if it is gone). */
  record Part(String label, Snapshot start, Snapshot end) {}

  static Snapshot take() {
    return take(ProcessHandle.current().pid());
  }

  static Snapshot take(long pid) {
    Map<String, Task> tasks = new HashMap<>();
    try (Stream<Path> dirs = Files.list(PROC.resolve(Long.toString(pid)).resolve("task"))) {
      dirs.forEach(dir -> {
        try {
          String stat = Files.readString(dir.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] fields = stat.substring(close + 2).split(" ");
          // after "(comm) ": state is field 3 of stat(5), utime 14 and stime 15
          tasks.put(dir.getFileName().toString(), new Task(stat.substring(open + 1, close),
              Long.parseLong(fields[11]), Long.parseLong(fields[12])));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      });
    } catch (IOException e) {
      // not Linux: report nothing
    }
    return new Snapshot(System.nanoTime(), tasks);
  }

  /**
   * CPU seconds the JIT compilers of the process took between two snapshots (0 for a process
   * without them); NaN if a compiler thread ended meanwhile (HotSpot stops idle ones), as its
   * share is then unknown.
   */
  static double jitSeconds(Snapshot start, Snapshot end) {
    boolean compilerEnded = start.byTid().entrySet().stream()
        .anyMatch(e -> group(e.getValue().name()).equals(JIT_GROUP) && !end.byTid().containsKey(e.getKey()));
    if (compilerEnded) {
      return Double.NaN;
    }
    long ticks = 0;
    for (var entry : end.byTid().entrySet()) {
      Task now = entry.getValue();
      if (group(now.name()).equals(JIT_GROUP)) {
        ticks += since(start.byTid().get(entry.getKey()), now).ticks();
      }
    }
    return ticks / TICKS_PER_SECOND;
  }

  /** A thread's CPU from {@code before} (null: since it started) to {@code now}. */
  private static Used since(Task before, Task now) {
    return new Used(now.userTicks() - (before == null ? 0 : before.userTicks()),
        now.kernelTicks() - (before == null ? 0 : before.kernelTicks()));
  }

  /** Both nodes in this JVM: see the class doc. */
  static String describe(Snapshot start, Snapshot end) {
    return describe(end.wallNanos() - start.wallNanos(), List.of(new Part(null, start, end)));
  }

  /**
   * One line per group with CPU seconds, the share of the wall time it was busy and the share of
   * its CPU spent in the kernel, busiest first; null if nothing could be read. A part's label
   * prefixes its groups; a null label means both nodes in one JVM.
   */
  static String describe(long wallNanos, List<Part> parts) {
    double wall = wallNanos / 1e9;
    Map<String, Used> byGroup = new LinkedHashMap<>();
    for (Part part : parts) {
      for (var entry : part.end().byTid().entrySet()) {
        Task before = part.start() == null ? null : part.start().byTid().get(entry.getKey());
        Task now = entry.getValue();
        Used used = since(before, now);
        String name = entry.getValue().name();
        String prefix = part.label() != null ? part.label() + " "
            : name.startsWith("peerd-") ? (before != null ? "producer " : "follower ") : "";
        byGroup.merge(prefix + group(name), used, Used::plus);
      }
    }
    if (byGroup.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
        "      CPU by thread over the %.2f s (share of the wall time busy, 200%% = both cores; share in the kernel):",
        wall));
    byGroup.entrySet().stream()
        .filter(e -> e.getValue().ticks() / TICKS_PER_SECOND >= MIN_SECONDS_SHOWN)
        .sorted(Map.Entry.<String, Used>comparingByValue(java.util.Comparator.comparingLong(Used::ticks)).reversed())
        .forEach(e -> text.append(String.format(Locale.ROOT, "%n        %-48s %6.2f s  %4.0f%%  kernel %3.0f%%",
            e.getKey(), e.getValue().ticks() / TICKS_PER_SECOND, 100 * e.getValue().ticks() / TICKS_PER_SECOND / wall,
            100.0 * e.getValue().kernelTicks() / Math.max(1, e.getValue().ticks()))));
    return text.toString();
  }

  /** Thread names as the kernel has them (at most 15 characters), grouped. */
  private static String group(String name) {
    if (name.startsWith("peerd-")) {
      return name;
    }
    if (name.startsWith("ForkJoinPool-")) {
      return "virtual-thread carriers (peer I/O)";
    }
    if (name.startsWith("rocksdb")) {
      return "RocksDB background (flush, compaction)";
    }
    if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
      return JIT_GROUP;
    }
    if (name.startsWith("GC ") || name.startsWith("G1 ")) {
      return "garbage collector";
    }
    if (name.equals("java")) {
      return "main thread";
    }
    return "other: " + name.replaceAll("[-#]?\\d+$", "");
  }
}
