package io.peerd.bench;

import io.peerd.testing.BcoinNode;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Churn: handshake + disconnect cycles per second, peerd against bcoin in the same run, with one
 * client ({@link ChurnClient}) for both (run by {@code bin/bench-churn}, not part of the test
 * suite). Each target is its own process on 127.0.0.1 with room for a few waves of inbound
 * connections: peerd a {@link BenchNode} JVM ({@link PeerdProcess}), bcoin a {@link BcoinNode}.
 * Per target: warm-up waves, then measured waves back to back (completed cycles over their wall
 * time), every connection's outcome classified, the time until the node reports no peer, the CPU
 * by process and thread; for peerd its own handshake counters (metrics) and whether it still syncs
 * afterwards: a fresh peerd dials it and mines blocks, which the churned node must take.
 */
public final class ChurnBenchmark {
  private static final double GOAL_RATIO = 5;
  /**
   * Inbound slots per wave peer: the next wave comes while the node may still be closing the last
   * one's connections, and what is measured is churn, not the inbound limit.
   */
  private static final int INBOUND_SLOTS_PER_WAVE_PEER = 4;
  /** A measured phase starts only when other processes use less than this (or after the quiet wait). */
  private static final double MAX_OTHER_CORES = 0.3;
  private static final int MAX_ATTEMPTS = 3;
  private static final int WARMUP_BLOCK_WAVES = 20;
  private static final int MAX_EXTRA_WARMUP_BLOCKS = 10;
  private static final double SETTLED_CPU_CHANGE = 0.1;
  private static final double SETTLED_JIT_SHARE = 0.05;
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
  private static final long POLL_MILLIS = 20;
  private static final List<String> NODE_COUNTERS =
      List.of("peerd_handshakes_", "peerd_inbound_refused_total", "peerd_peer_disconnects_total");

  private record Options(int waves, int warmupWaves, int wavePeers, int syncBlocks, boolean bcoin, boolean floors,
      Duration quietWait, List<String> peerdJvmOptions) {}

  /** One target measured. */
  private record Measured(ChurnClient.Result result, double drainSeconds, MachineLoad.Usage usage, String threadCpu,
      double nodeCpuSeconds, double clientCpuSeconds) {
    /** The node's CPU per completed cycle: what the churn costs it, whatever the client's share of the cores. */
    double nodeCpuMicrosPerCycle() {
      return nodeCpuSeconds * 1e6 / result.count(ChurnClient.Outcome.COMPLETED);
    }
  }

  /** How a target reports how many handshaked peers it holds. */
  private interface ConnectionCount {
    /** For a target that does not report it (the floors): no drain to wait for or show. */
    ConnectionCount NOT_REPORTED = () -> 0;

    int get() throws IOException, InterruptedException;
  }

  /** A step just before the measured waves, e.g. reading the node's counters. */
  private interface Step {
    void run() throws IOException, InterruptedException;
  }

  private final Options options;

  private ChurnBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    new ChurnBenchmark(parse(args)).run();
    System.exit(0); // bcoin's HTTP client threads must not keep us up
  }

  private void run() throws Exception {
    Path workDir = Files.createTempDirectory("peerd-churn");
    int inboundSlots = INBOUND_SLOTS_PER_WAVE_PEER * options.wavePeers();
    System.out.printf(Locale.ROOT, "churn benchmark: %d measured waves (after at least %d warm-up) of %d connections,"
        + " each from its own 127.a.b.c; inbound slots %d; JDK %s; %d cores; work dir %s%n", options.waves(),
        options.warmupWaves(), options.wavePeers(), inboundSlots, Runtime.version(),
        Runtime.getRuntime().availableProcessors(), workDir);
    Measured peerd;
    int metricsPort = TestNodes.freePort();
    try (PeerdProcess node = PeerdProcess.start(workDir.resolve("peerd"), -1,
        List.of("maxinbound=" + inboundSlots, "metrics=" + metricsPort), options.peerdJvmOptions())) {
      Map<String, Double> countersBefore = nodeCounters(metricsPort);
      peerd = measure("peerd", new InetSocketAddress("127.0.0.1", node.p2pPort()), node.pid(),
          () -> node.rpc("getconnectioncount").asInt(), () -> countersBefore.putAll(nodeCounters(metricsPort)));
      printCounterChanges(countersBefore, nodeCounters(metricsPort));
      checkStillSyncs(node, workDir.resolve("producer"));
    }
    Map<HandshakeFloor.Mode, Measured> floors = new EnumMap<>(HandshakeFloor.Mode.class);
    if (options.floors()) {
      for (HandshakeFloor.Mode mode : HandshakeFloor.Mode.values()) {
        try (HandshakeFloor.Launched floor = HandshakeFloor.Launched.start(mode)) {
          floors.put(mode, measure("floor, " + mode.name().toLowerCase(Locale.ROOT), floor.address(), floor.pid(),
              ConnectionCount.NOT_REPORTED, () -> {}));
        }
      }
      floors.forEach((mode, floor) -> System.out.printf(Locale.ROOT, "%nfloor, %s: %.0f us of node CPU per cycle,"
          + " peerd %.2fx that%n", mode.name().toLowerCase(Locale.ROOT), floor.nodeCpuMicrosPerCycle(),
          peerd.nodeCpuMicrosPerCycle() / floor.nodeCpuMicrosPerCycle()));
    }
    if (!options.bcoin()) {
      return;
    }
    Measured bcoin;
    // bcoin logs each inbound peer at info; warning keeps its log file out of what is measured
    try (BcoinNode node = BcoinNode.start(workDir.resolve("bcoin"),
        List.of("--max-inbound=" + inboundSlots, "--log-level=warning"))) {
      bcoin = measure("bcoin", new InetSocketAddress("127.0.0.1", node.p2pPort()), node.pid(),
          () -> node.rpc("getconnectioncount").asInt(), () -> {});
    }
    double ratio = peerd.result().cyclesPerSecond() / bcoin.result().cyclesPerSecond();
    System.out.printf(Locale.ROOT, "%nsummary: peerd %,.0f cycles/s, bcoin %,.0f cycles/s: peerd %.2fx bcoin"
        + " (goal: %.0fx, %s); failed handshakes peerd %d, bcoin %d; refused peerd %d, bcoin %d;"
        + " node CPU per cycle peerd %.0f us, bcoin %.0f us (bcoin %.2fx peerd's)%n",
        peerd.result().cyclesPerSecond(), bcoin.result().cyclesPerSecond(), ratio, GOAL_RATIO,
        ratio >= GOAL_RATIO ? "met" : "not met", peerd.result().failed(), bcoin.result().failed(),
        peerd.result().count(ChurnClient.Outcome.REFUSED), bcoin.result().count(ChurnClient.Outcome.REFUSED),
        peerd.nodeCpuMicrosPerCycle(), bcoin.nodeCpuMicrosPerCycle(),
        bcoin.nodeCpuMicrosPerCycle() / peerd.nodeCpuMicrosPerCycle());
    floors.forEach((mode, floor) -> System.out.printf(Locale.ROOT, "  floor, %s: %.0f us per cycle, bcoin %.2fx that%n",
        mode.name().toLowerCase(Locale.ROOT), floor.nodeCpuMicrosPerCycle(),
        bcoin.nodeCpuMicrosPerCycle() / floor.nodeCpuMicrosPerCycle()));
  }

  /**
   * Warm-up waves, then the measured waves (with {@code beforeMeasuring} just before them) once
   * the node holds no peer and the machine is quiet, and the drain after them; measured again (up
   * to {@value #MAX_ATTEMPTS} times) while other processes were busy meanwhile.
   */
  private Measured measure(String label, InetSocketAddress target, long pid, ConnectionCount connections,
      Step beforeMeasuring) throws Exception {
    ChurnClient client = new ChurnClient(target, options.wavePeers());
    System.out.printf("%n%s at %s (pid %d)%n", label, target, pid);
    warmUp(client, pid);
    for (int attempt = 1; ; attempt++) {
      drainSeconds(connections);
      System.out.printf("  before: %s%n", MachineLoad.awaitQuiet(MAX_OTHER_CORES, options.quietWait()));
      beforeMeasuring.run();
      Measured measured = measuredWaves(label, client, pid, connections);
      report(label, measured);
      if (measured.usage().otherCores() < MAX_OTHER_CORES || attempt == MAX_ATTEMPTS) {
        return measured;
      }
      System.out.printf("  (other processes were busy during attempt %d: measuring again)%n", attempt);
    }
  }

  /**
   * The warm-up waves, then more in blocks of {@value #WARMUP_BLOCK_WAVES} until the node's CPU
   * per cycle settles (within {@value #SETTLED_CPU_CHANGE} of the block before) with its JIT
   * compilers (a JVM's; a process without them has none) under {@value #SETTLED_JIT_SHARE} of it:
   * peerd's JIT keeps compiling well past 60 waves when other processes slow it, and two blocks
   * in the middle of that can cost alike (a share not known, as when a compiler thread ended, is
   * not settled). The same rule serves every target.
   */
  private void warmUp(ChurnClient client, long pid) throws IOException {
    int waves = options.warmupWaves();
    double previousMicrosPerCycle = Double.NaN;
    for (int extra = 0; extra <= MAX_EXTRA_WARMUP_BLOCKS && waves > 0; extra++) {
      double cpuStart = cpuSeconds(pid);
      ThreadCpu.Snapshot threadsStart = ThreadCpu.take(pid);
      ChurnClient.Result warmUp = client.run(waves);
      long completed = Math.max(1, warmUp.count(ChurnClient.Outcome.COMPLETED));
      double cpu = cpuSeconds(pid) - cpuStart;
      double jitShare = ThreadCpu.jitSeconds(threadsStart, ThreadCpu.take(pid)) / Math.max(cpu, 1e-9);
      double microsPerCycle = cpu * 1e6 / completed;
      System.out.printf(Locale.ROOT, "  warm-up: %s; node CPU %.0f us per cycle, %.0f%% of it JIT%n", summary(warmUp),
          microsPerCycle, 100 * jitShare);
      if (Math.abs(microsPerCycle - previousMicrosPerCycle) <= SETTLED_CPU_CHANGE * previousMicrosPerCycle
          && jitShare < SETTLED_JIT_SHARE) {
        return;
      }
      previousMicrosPerCycle = microsPerCycle;
      waves = WARMUP_BLOCK_WAVES;
    }
    if (options.warmupWaves() > 0) {
      System.out.printf("  warm-up did not settle within %d more blocks: measuring anyway%n", MAX_EXTRA_WARMUP_BLOCKS);
    }
  }

  private Measured measuredWaves(String label, ChurnClient client, long pid, ConnectionCount connections)
      throws Exception {
    MachineLoad.Mark load = MachineLoad.mark();
    ThreadCpu.Snapshot clientStart = ThreadCpu.take();
    ThreadCpu.Snapshot nodeStart = ThreadCpu.take(pid);
    double nodeCpuStart = cpuSeconds(pid);
    double clientCpuStart = cpuSeconds(ProcessHandle.current().pid());
    ChurnClient.Result result = client.run(options.waves());
    double nodeCpu = cpuSeconds(pid) - nodeCpuStart;
    double clientCpu = cpuSeconds(ProcessHandle.current().pid()) - clientCpuStart;
    MachineLoad.Usage usage = MachineLoad.since(load);
    String threads = ThreadCpu.describe(result.wallNanos(), List.of(
        new ThreadCpu.Part("client", clientStart, ThreadCpu.take()),
        new ThreadCpu.Part(label, nodeStart, ThreadCpu.take(pid))));
    return new Measured(result, drainSeconds(connections), usage, threads, nodeCpu, clientCpu);
  }

  private static void report(String label, Measured m) {
    ChurnClient.Result r = m.result();
    System.out.printf(Locale.ROOT, "  %s: %s%n", label, summary(r));
    System.out.printf("  waves (ms): %s%n",
        r.waveNanos().stream().map(n -> Long.toString(n / 1_000_000)).collect(Collectors.joining(" ")));
    for (var e : r.outcomes().entrySet()) {
      if (e.getValue() > 0) {
        String example = r.firstError().get(e.getKey());
        System.out.printf("    %-62s %,7d%s%n", e.getKey().text, e.getValue(),
            example == null ? "" : "  e.g. " + example);
      }
    }
    if (!Double.isNaN(m.drainSeconds())) {
      System.out.printf(Locale.ROOT, "  after the last wave, the node held no handshaked peer within %.2f s%n",
          m.drainSeconds());
    }
    System.out.printf("  during the waves: %s%n", m.usage());
    System.out.printf(Locale.ROOT, "  CPU: node %.2f s (%.0f us per cycle), client %.2f s%n", m.nodeCpuSeconds(),
        m.nodeCpuMicrosPerCycle(), m.clientCpuSeconds());
    if (m.threadCpu() != null) {
      System.out.println(m.threadCpu());
    }
  }

  private static String summary(ChurnClient.Result r) {
    return String.format(Locale.ROOT, "%,d of %,d cycles completed in %.2f s = %,.0f cycles/s; %d refused, %d failed",
        r.count(ChurnClient.Outcome.COMPLETED), (long) r.waves() * r.wavePeers(), r.wallNanos() / 1e9,
        r.cyclesPerSecond(), r.count(ChurnClient.Outcome.REFUSED), r.failed());
  }

  /** A process's CPU time so far (user and system); 0 where it cannot be read. */
  private static double cpuSeconds(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** Seconds until the node reports no handshaked peer (polled every {@value #POLL_MILLIS} ms); NaN if not reported. */
  private static double drainSeconds(ConnectionCount connections) throws Exception {
    if (connections == ConnectionCount.NOT_REPORTED) {
      return Double.NaN;
    }
    long start = System.nanoTime();
    while (connections.get() > 0) {
      if (System.nanoTime() - start > DRAIN_TIMEOUT.toNanos()) {
        throw new IllegalStateException("the node still holds " + connections.get() + " peers after " + DRAIN_TIMEOUT);
      }
      Thread.sleep(POLL_MILLIS);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * After the churn the node must still sync: a fresh peerd dials it and mines blocks; the
   * churned node takes them from that inbound peer (as {@code LifecycleStressTest} checks in-process).
   */
  private void checkStillSyncs(PeerdProcess churned, Path producerDir) throws Exception {
    try (PeerdProcess producer = PeerdProcess.start(producerDir, churned.p2pPort(), List.of(), List.of())) {
      long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
      while (churned.rpc("getconnectioncount").asInt() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
      }
      long start = System.nanoTime();
      producer.rpc("generatetoaddress", options.syncBlocks(), TestNodes.REGTEST_ADDRESS);
      String tip = producer.rpc("getbestblockhash").asText();
      while (!churned.rpc("getbestblockhash").asText().equals(tip) && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
      }
      int height = churned.rpc("getblockcount").asInt();
      boolean synced = churned.rpc("getbestblockhash").asText().equals(tip);
      System.out.printf(Locale.ROOT, "  still syncs after the churn: %s (a fresh peerd dialed it and mined %d blocks;"
          + " the churned node %s height %d %s)%n", synced ? "YES" : "NO", options.syncBlocks(),
          synced ? "reached" : "stayed at", height,
          synced ? String.format(Locale.ROOT, "%.2f s after the mining began", (System.nanoTime() - start) / 1e9)
              : "within " + SYNC_TIMEOUT.toSeconds() + " s");
    }
  }

  /** The node's own counters (Prometheus text), by series. */
  static Map<String, Double> nodeCounters(int metricsPort) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      Map<String, Double> counters = new TreeMap<>();
      for (String line : text.split("\n")) {
        if (NODE_COUNTERS.stream().anyMatch(line::startsWith)) {
          int space = line.lastIndexOf(' ');
          counters.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
      }
      return counters;
    }
  }

  private static void printCounterChanges(Map<String, Double> before, Map<String, Double> after) {
    System.out.println("  peerd's own counters over the measured waves (metrics):");
    after.forEach((series, value) -> {
      double change = value - before.getOrDefault(series, 0.0);
      if (change != 0) {
        System.out.printf(Locale.ROOT, "    %-90s %,8.0f%n", series, change);
      }
    });
  }

  private static Options parse(String[] args) {
    int waves = 40;
    // peerd's JIT still compiles for its first 50 or so waves (1.4 s of C2 in 20 waves after 3)
    int warmupWaves = 60;
    int wavePeers = 300;
    int syncBlocks = 10;
    boolean bcoin = true;
    boolean floors = false;
    Duration quietWait = Duration.ofMinutes(3);
    List<String> peerdJvmOptions = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--waves" -> waves = Integer.parseInt(args[++i]);
        case "--warmup-waves" -> warmupWaves = Integer.parseInt(args[++i]);
        case "--wave-peers" -> wavePeers = Integer.parseInt(args[++i]);
        case "--sync-blocks" -> syncBlocks = Integer.parseInt(args[++i]);
        case "--no-bcoin" -> bcoin = false;
        case "--floors" -> floors = true;
        case "--quiet-wait-seconds" -> quietWait = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--peerd-jvm-options" -> peerdJvmOptions = List.of(args[++i].trim().split("\\s+"));
        default -> {
          System.err.println("usage: bin/bench-churn [--waves N (40)] [--warmup-waves N (60)] [--wave-peers N (300)]"
              + " [--sync-blocks N (10)] [--no-bcoin] [--floors] [--quiet-wait-seconds S (180)]"
              + " [--peerd-jvm-options \"FLAGS\" (e.g. a flight recording)]");
          System.exit(args[i].equals("--help") ? 0 : 2);
        }
      }
    }
    return new Options(waves, warmupWaves, wavePeers, syncBlocks, bcoin, floors, quietWait, peerdJvmOptions);
  }
}
