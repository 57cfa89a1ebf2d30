package io.peerd.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How busy the machine was during a timed interval, and how much of that was this benchmark (this
 * JVM and its child processes, e.g. bcoin): on a shared 2-core machine another process's work
 * would slow both sides of the comparison unevenly. Linux only ({@code /proc/stat}); elsewhere
 * {@link #available} is false and nothing is reported.
 */
final class MachineLoad {
  private static final Path PROC_STAT = Path.of("/proc/stat");
  /** The kernel's clock tick for /proc/stat; 100 on every common Linux build. */
  private static final double TICKS_PER_SECOND = 100;
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** CPU use at one moment: the machine's busy ticks, and this process tree's CPU nanoseconds. */
  record Mark(long wallNanos, long machineBusyTicks, long ownCpuNanos) {}

  /** Over an interval, in cores' worth (0..cores): the whole machine, and this benchmark's part. */
  record Usage(double machineCores, double ownCores) {
    double otherCores() {
      return Math.max(0, machineCores - ownCores);
    }

    @Override
    public String toString() {
      return String.format("machine %.2f of %d cores busy, %.2f of them this benchmark, %.2f other processes",
          machineCores, CORES, ownCores, otherCores());
    }
  }

  private MachineLoad() {}

  static boolean available() {
    return Files.isReadable(PROC_STAT);
  }

  static Mark mark() {
    return new Mark(System.nanoTime(), machineBusyTicks(), ownCpuNanos());
  }

  static Usage since(Mark start) {
    Mark end = mark();
    double seconds = (end.wallNanos() - start.wallNanos()) / 1e9;
    double machine = (end.machineBusyTicks() - start.machineBusyTicks()) / TICKS_PER_SECOND / seconds;
    double own = (end.ownCpuNanos() - start.ownCpuNanos()) / 1e9 / seconds;
    return new Usage(machine, own);
  }

  /**
   * Waits (at most {@code maxWait}) until other processes use less than {@code maxOtherCores}
   * over a one-second sample; returns the last sample.
   */
  static Usage awaitQuiet(double maxOtherCores, Duration maxWait) throws InterruptedException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    boolean told = false;
    while (true) {
      Mark start = mark();
      Thread.sleep(1_000);
      Usage usage = since(start);
      if (usage.otherCores() < maxOtherCores || System.nanoTime() - deadline > 0) {
        return usage;
      }
      if (!told) {
        System.out.printf("  (waiting up to %d s for other processes to quieten: %s)%n", maxWait.toSeconds(), usage);
        told = true;
      }
    }
  }

  /** user + nice + system + irq + softirq + steal ticks of all cores (the first line of /proc/stat). */
  private static long machineBusyTicks() {
    try {
      String[] fields = Files.readAllLines(PROC_STAT).getFirst().trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(fields[i]);
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** This JVM's CPU time plus that of its live descendants (bcoin nodes). */
  private static long ownCpuNanos() {
    long nanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    nanos += ProcessHandle.current().descendants()
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    return nanos;
  }
}
