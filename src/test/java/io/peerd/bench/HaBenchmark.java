package io.peerd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.produce.IntervalProducer;
import io.peerd.testing.HaProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HA block production through a three-member Raft group of peerd {@code Main} processes on
 * 127.0.0.1 ({@code bin/bench-ha}): (a) committed blocks per second at the shortest production
 * interval, from the leader's chain height over a measured span after a warm-up, and (b) failover
 * time, leader SIGKILL to a block two past its height on a survivor (as {@code HaKillTest}
 * measures it), over many kills. Each phase has a fresh group in its own folder under the work
 * folder, where the members' logs stay.
 */
public final class HaBenchmark {
  private static final List<String> IDS = List.of("a", "b", "c");
  /** JVM start, store open, Raft election, a killed member catching up. */
  private static final Duration BOUND = Duration.ofSeconds(60);
  /** JIT and RocksDB settle before the measured span. */
  private static final long WARM_UP_MILLIS = 5_000;
  /** Other processes may use this much of the machine when a phase starts its group. */
  private static final double MAX_OTHER_CORES = 0.3;
  private static final Duration MAX_QUIET_WAIT = Duration.ofMinutes(3);

  private record Options(Path workDir, String throughputIntervalSeconds, long measureMillis,
      String failoverIntervalSeconds, int kills) {}

  private HaBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Files.createDirectories(options.workDir());
    throughput(options);
    if (options.kills() > 0) {
      failover(options);
    }
  }

  private static void throughput(Options options) throws Exception {
    Path dir = freshDir(options.workDir().resolve("throughput"));
    System.out.printf("(a) throughput: 3 members, --produce-interval %s, %d s measured after %d s warm-up%n",
        options.throughputIntervalSeconds(), options.measureMillis() / 1000, WARM_UP_MILLIS / 1000);
    awaitQuiet();
    try (HaProcesses group = HaProcesses.start(dir, IDS, options.throughputIntervalSeconds(), BOUND)) {
      HaProcesses.Member leader = group.awaitLeader("start");
      Thread.sleep(WARM_UP_MILLIS);
      MachineLoad.Mark load = MachineLoad.mark();
      long startNanos = System.nanoTime();
      int startHeight = leader.height();
      Thread.sleep(options.measureMillis());
      int endHeight = leader.height();
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      String usage = MachineLoad.available() ? MachineLoad.since(load).toString() : "load unknown";
      double perSecond = (endHeight - startHeight) / seconds;
      double nominal = 1 / Double.parseDouble(options.throughputIntervalSeconds());
      System.out.printf("  leader %s: height %d -> %d in %.2f s = %.1f committed blocks/s (interval allows %.0f/s)%n",
          leader.id(), startHeight, endHeight, seconds, perSecond, nominal);
      for (HaProcesses.Member member : group.members()) {
        JsonNode info = member.haInfo().orElse(null);
        System.out.printf("  member %s: height %d, %s%n", member.id(), member.height(),
            info == null ? "no gethainfo answer" : "role " + info.path("role").asText() + ", commit_index "
                + info.path("commit_index").asText() + ", refused_entries " + info.path("refused_entries").asText());
      }
      System.out.println("  " + usage);
    }
  }

  private static void failover(Options options) throws Exception {
    Path dir = freshDir(options.workDir().resolve("failover"));
    System.out.printf("(b) failover: 3 members, --produce-interval %s, %d leader kills (SIGKILL, restart, catch up)%n",
        options.failoverIntervalSeconds(), options.kills());
    awaitQuiet();
    try (HaProcesses group = HaProcesses.start(dir, IDS, options.failoverIntervalSeconds(), BOUND)) {
      group.awaitLeader("start");
      Thread.sleep(WARM_UP_MILLIS);
      MachineLoad.Mark load = MachineLoad.mark();
      List<Long> failoverMillis = new ArrayList<>();
      for (int kill = 0; kill < options.kills(); kill++) {
        failoverMillis.add(group.killLeaderAndRestart("kill " + kill));
      }
      // Killed members' CPU leaves the process tree's sum, so only the machine's total is meaningful here.
      String usage = MachineLoad.available()
          ? String.format("machine %.2f cores busy", MachineLoad.since(load).machineCores()) : "load unknown";
      System.out.printf("  kill to a block two past the killed leader's height, in ms: %s%n", failoverMillis);
      System.out.printf("  %s; chain at %d%n", HaProcesses.summarize(failoverMillis), group.commonHeight());
      System.out.println("  " + usage);
    }
  }

  private static void awaitQuiet() throws InterruptedException {
    if (MachineLoad.available()) {
      MachineLoad.awaitQuiet(MAX_OTHER_CORES, MAX_QUIET_WAIT);
    }
  }

  private static Path freshDir(Path dir) throws Exception {
    RegtestChainCache.deleteTree(dir);
    return Files.createDirectories(dir);
  }

  private static Options parse(String[] args) {
    Path workDir = Path.of("target/ha-bench");
    String throughputInterval = String.valueOf(IntervalProducer.MIN_INTERVAL_MILLIS / 1000.0);
    long measureMillis = 20_000;
    String failoverInterval = "0.2";
    int kills = 20;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw usage(args[i]);
      }
      switch (args[i]) {
        case "--work-dir" -> workDir = Path.of(value);
        case "--interval" -> throughputInterval = value;
        case "--seconds" -> measureMillis = Long.parseLong(value) * 1000;
        case "--failover-interval" -> failoverInterval = value;
        case "--kills" -> kills = Integer.parseInt(value);
        default -> throw usage(args[i]);
      }
      i++;
    }
    return new Options(workDir, throughputInterval, measureMillis, failoverInterval, kills);
  }

  private static IllegalArgumentException usage(String arg) {
    return new IllegalArgumentException("bad or lone argument " + arg + "; options: --work-dir DIR, --interval SECONDS"
        + " (throughput phase, default the shortest allowed), --seconds N (measured span, default 20),"
        + " --failover-interval SECONDS (default 0.2, as HaKillTest), --kills N (default 20; 0: throughput only)");
  }
}
