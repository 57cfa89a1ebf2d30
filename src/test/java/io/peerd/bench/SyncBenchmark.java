package io.peerd.bench;

import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.sync.SyncConfig;
import io.peerd.testing.BcoinNode;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * End-to-end sync over 127.0.0.1, peerd against a real peer in the same run (run by
 * {@code bin/bench-sync}, not part of the test suite):
 *
 * <ul>
 *   <li><b>peerd → peerd</b>: a producer node holding N regtest blocks (from {@link
 *       RegtestChainCache}, not timed) and a fresh follower dialing only it, each a {@link
 *       BenchNode} in its own JVM (or both in this one with {@code --in-process}); timed from
 *       launching the follower until its best block hash (RPC) is the producer's.
 *   <li><b>bcoin → bcoin</b>: a bcoin node that mined N blocks (not timed) and a fresh bcoin node
 *       started with {@code --only=127.0.0.1:<its port>}; timed from launching the second process
 *       until its {@code getblockcount} (RPC) reaches N.
 *   <li><b>peerd headers</b>: a follower of a producer holding H blocks, timed until its best
 *       header reaches H; once with the default sync settings (blocks download at the same time and
 *       share the chain thread) and once with block download throttled to one request at a time.
 * </ul>
 *
 * Each "until synced" condition is polled every {@value #POLL_MILLIS} ms. The machine is
 * shared and has 2 cores, so each timed phase waits until other processes are quiet, records the
 * CPU use during it ({@link MachineLoad}) and is repeated if others were busy meanwhile.
 */
public final class SyncBenchmark {
  private static final long POLL_MILLIS = 20;
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(30);

  /** A timed phase starts only when other processes use less than this (or after {@code quietWait}). */
  private static final double MAX_OTHER_CORES = 0.2;
  private static final int MAX_ATTEMPTS = 3;

  private record Options(int blocks, int headers, int runs, Path workDir, boolean peerd, boolean bcoin,
      boolean bcoinInMemory, Duration quietWait, List<Boolean> headerVariants, boolean inProcess,
      List<String> followerJvmOptions, int warmRounds) {}

  /**
   * One timed sync: from the follower's start call to synced, and from its start returning to
   * synced; and the CPU use meanwhile (null where it cannot be read).
   */
  private record Timing(double totalSeconds, double afterStartSeconds, MachineLoad.Usage usage, String threadCpu) {}

  private record HeadersTiming(String variant, Timing timing, int tipHeightThen) {}

  private final Options options;
  private final RegtestChainCache cache;

  private SyncBenchmark(Options options) {
    this.options = options;
    this.cache = new RegtestChainCache(options.workDir().resolve("cache"));
  }

  public static void main(String[] args) throws Exception {
    Options options = parse(args);
    new SyncBenchmark(options).run();
    System.exit(0); // bcoin's HTTP client threads and the nodes' daemon threads must not keep us up
  }

  private void run() throws Exception {
    Files.createDirectories(options.workDir());
    System.out.printf("peerd sync benchmark: %,d blocks, %,d headers, %d run(s); JDK %s; %d cores; work dir %s%n",
        options.blocks(), options.headers(), options.runs(), Runtime.version(),
        Runtime.getRuntime().availableProcessors(), options.workDir());
    List<Timing> peerdRuns = new ArrayList<>();
    List<Timing> bcoinRuns = new ArrayList<>();
    List<HeadersTiming> headerRuns = new ArrayList<>();
    if (options.blocks() > 0 && options.peerd()) {
      cache.ensureBuilt(options.blocks());
    }
    if (options.headers() > 0) {
      cache.ensureBuilt(options.headers());
    }
    for (int run = 1; run <= options.runs(); run++) {
      int n = run;
      if (options.blocks() > 0 && options.peerd()) {
        Timing timing = undisturbed(() -> peerdToPeerd(n), Timing::usage, t -> report("peerd -> peerd", n, t));
        peerdRuns.add(timing);
      }
      if (options.blocks() > 0 && options.bcoin()) {
        Timing timing = undisturbed(() -> bcoinToBcoin(n), Timing::usage, t -> report("bcoin -> bcoin", n, t));
        bcoinRuns.add(timing);
      }
      if (options.headers() > 0) {
        for (boolean throttled : options.headerVariants()) {
          HeadersTiming timing = undisturbed(() -> headers(n, throttled), t -> t.timing().usage(), t ->
              System.out.printf(Locale.ROOT, "  run %d: peerd headers (%s): %,d headers in %.2f s = %,.0f headers/s"
                  + " (%.2f s after the follower's start returned); tip then at %,d%s%n", n, t.variant(),
                  options.headers(), t.timing().totalSeconds(), options.headers() / t.timing().totalSeconds(),
                  t.timing().afterStartSeconds(), t.tipHeightThen(),
                  describe(t.timing().usage(), t.timing().threadCpu())));
          headerRuns.add(timing);
        }
      }
    }
    printSummary(peerdRuns, bcoinRuns, headerRuns);
  }

  // ------------------------------------------------------------ peerd -> peerd

  /** What the benchmark polls on a follower: its tip and best header. */
  private record ChainState(int blocks, String tipHash, int headers) {}

  /** A peerd sync measured: the timing and the follower's state when it was done. */
  private record PeerdSync(Timing timing, ChainState follower) {}

  private Timing peerdToPeerd(int run) throws Exception {
    return peerdSync("peerd-run-" + run, options.blocks(), false, (producer, follower) ->
        follower.tipHash().equals(producer.tipHash())).timing();
  }

  private HeadersTiming headers(int run, boolean throttled) throws Exception {
    PeerdSync sync = peerdSync("headers-run-" + run, options.headers(), throttled, (producer, follower) ->
        follower.headers() >= producer.headers());
    return new HeadersTiming(throttled ? "block download throttled" : "default settings, blocks too",
        sync.timing(), sync.follower().blocks());
  }

  /**
   * A producer holding the cached chain of {@code chainBlocks} (started first, not timed) and a
   * fresh follower dialing only it; timed from starting the follower until {@code synced} holds,
   * polled every {@value #POLL_MILLIS} ms. Each node is its own JVM (as each bcoin node is its own
   * process) unless {@code --in-process}.
   */
  private PeerdSync peerdSync(String name, int chainBlocks, boolean throttled,
      BiPredicate<ChainState, ChainState> synced) throws Exception {
    Path runDir = freshDir(name);
    cache.copyTo(chainBlocks, runDir.resolve("producer"));
    try {
      return options.inProcess() ? peerdSyncInProcess(runDir, chainBlocks, throttled, synced)
          : peerdSyncInProcesses(runDir, chainBlocks, throttled, synced);
    } finally {
      RegtestChainCache.deleteTree(runDir);
    }
  }

  /**
   * The producer's JVM and the follower's; with {@code --warm-rounds K} the follower's JVM syncs K
   * times, each round a fresh node with fresh data (the producer kept), and the last round counts.
   */
  private PeerdSync peerdSyncInProcesses(Path runDir, int chainBlocks, boolean throttled,
      BiPredicate<ChainState, ChainState> synced) throws Exception {
    List<String> flags = new ArrayList<>();
    if (throttled) {
      flags.add("throttled");
    }
    if (options.warmRounds() > 1) {
      flags.add("rounds");
    }
    try (PeerdProcess producer = PeerdProcess.start(runDir.resolve("producer"), -1, false, List.of())) {
      ChainState target = rpcState(producer);
      check(target.blocks() == chainBlocks, "producer holds " + target.blocks());
      PeerdProcess follower = null;
      try {
        PeerdSync sync = null;
        for (int round = 1; round <= options.warmRounds(); round++) {
          MachineLoad.Mark load = awaitQuiet();
          ThreadCpu.Snapshot producerThreads = ThreadCpu.take(producer.pid());
          ThreadCpu.Snapshot followerThreads = follower == null ? null : ThreadCpu.take(follower.pid());
          long start = System.nanoTime();
          if (follower == null) {
            follower = PeerdProcess.start(runDir.resolve("follower"), producer.p2pPort(), flags,
                options.followerJvmOptions());
          } else {
            follower.nextRound();
          }
          long started = System.nanoTime();
          PeerdProcess polled = follower;
          ChainState last = awaitState(() -> rpcStateOrNull(polled), state -> synced.test(target, state));
          long done = System.nanoTime();
          String threads = ThreadCpu.describe(done - start, List.of(
              new ThreadCpu.Part("follower", followerThreads, ThreadCpu.take(follower.pid())),
              new ThreadCpu.Part("producer", producerThreads, ThreadCpu.take(producer.pid()))));
          sync = new PeerdSync(new Timing((done - start) / 1e9, (done - started) / 1e9, usageSince(load), threads),
              last);
          if (round < options.warmRounds()) {
            System.out.printf(Locale.ROOT, "    round %d of %d in the same JVMs: %.2f s (%.2f s after start)%n",
                round, options.warmRounds(), sync.timing().totalSeconds(), sync.timing().afterStartSeconds());
          }
        }
        return sync;
      } finally {
        if (follower != null) {
          follower.close();
        }
      }
    }
  }

  private PeerdSync peerdSyncInProcess(Path runDir, int chainBlocks, boolean throttled,
      BiPredicate<ChainState, ChainState> synced) throws Exception {
    try (Node producer = TestNodes.start(TestNodes.regtest(runDir.resolve("producer")))) {
      ChainState target = nodeState(producer);
      check(target.blocks() == chainBlocks, "producer holds " + target.blocks());
      NodeConfig followerConfig = TestNodes.connectedTo(runDir.resolve("follower"), producer.p2pAddress());
      if (throttled) {
        followerConfig = followerConfig.withSync(BenchNode.throttled(SyncConfig.defaults()));
      }
      MachineLoad.Mark load = awaitQuiet();
      ThreadCpu.Snapshot threads = ThreadCpu.take();
      long start = System.nanoTime();
      try (Node follower = TestNodes.start(followerConfig)) {
        long started = System.nanoTime();
        ChainState last = awaitState(() -> nodeState(follower), state -> synced.test(target, state));
        long done = System.nanoTime();
        return new PeerdSync(new Timing((done - start) / 1e9, (done - started) / 1e9, usageSince(load),
            ThreadCpu.describe(threads, ThreadCpu.take())), last);
      }
    }
  }

  private static ChainState nodeState(Node node) {
    var snapshot = node.snapshot();
    return new ChainState(snapshot.tipHeight(), snapshot.tip().hash().toString(), snapshot.bestHeader().height());
  }

  private static ChainState rpcState(PeerdProcess node) throws IOException, InterruptedException {
    var info = node.rpc("getblockchaininfo");
    return new ChainState(info.get("blocks").asInt(), info.get("bestblockhash").asText(), info.get("headers").asInt());
  }

  /** Null for a poll that failed (e.g. timed out under load): "not yet". */
  private static ChainState rpcStateOrNull(PeerdProcess node) throws InterruptedException {
    try {
      return rpcState(node);
    } catch (IOException e) {
      return null;
    }
  }

  // ------------------------------------------------------------ bcoin -> bcoin

  private Timing bcoinToBcoin(int run) throws Exception {
    Path runDir = freshDir("bcoin-run-" + run);
    List<String> storage = List.of("--memory=" + options.bcoinInMemory());
    try (BcoinNode producer = BcoinNode.start(runDir.resolve("producer"), storage)) {
      long mineStart = System.nanoTime();
      producer.mine(options.blocks());
      System.out.printf(Locale.ROOT, "  (bcoin mined %,d blocks in %.1f s, not timed)%n", options.blocks(),
          (System.nanoTime() - mineStart) / 1e9);
      check(producer.blockCount() == options.blocks(), "bcoin producer holds " + producer.blockCount());
      List<String> followerArgs = new ArrayList<>(storage);
      followerArgs.add("--only=127.0.0.1:" + producer.p2pPort());
      MachineLoad.Mark load = awaitQuiet();
      long start = System.nanoTime();
      try (BcoinNode follower = BcoinNode.start(runDir.resolve("follower"), followerArgs)) {
        long started = System.nanoTime();
        awaitState(() -> blockCount(follower), count -> count >= options.blocks());
        long done = System.nanoTime();
        MachineLoad.Usage usage = usageSince(load);
        check(follower.bestBlockHash().equals(producer.bestBlockHash()), "bcoin follower's tip differs");
        return new Timing((done - start) / 1e9, (done - started) / 1e9, usage, null);
      }
    } finally {
      RegtestChainCache.deleteTree(runDir);
    }
  }

  private static int blockCount(BcoinNode node) throws InterruptedException {
    try {
      return node.blockCount();
    } catch (IOException e) {
      return -1; // a poll that failed (e.g. timed out under load) just counts as "not yet"
    }
  }

  // ------------------------------------------------------------ output

  private void report(String pair, int run, Timing timing) {
    System.out.printf(Locale.ROOT, "  run %d: %s: %.2f s from start (%.2f s after the follower's start returned)"
        + " = %,.0f blocks/s%s%n", run, pair, timing.totalSeconds(), timing.afterStartSeconds(),
        options.blocks() / timing.totalSeconds(), describe(timing.usage(), timing.threadCpu()));
  }

  private static String describe(MachineLoad.Usage usage, String threadCpu) {
    String text = "";
    if (usage != null) {
      String warning = usage.otherCores() >= MAX_OTHER_CORES ? " -- DISTURBED by other processes" : "";
      text += "\n      CPU meanwhile: " + usage + warning;
    }
    return threadCpu == null ? text : text + "\n" + threadCpu;
  }

  private void printSummary(List<Timing> peerd, List<Timing> bcoin, List<HeadersTiming> headers) {
    int n = options.blocks();
    System.out.println();
    Stream<Timing> all = Stream.concat(Stream.concat(peerd.stream(), bcoin.stream()),
        headers.stream().map(HeadersTiming::timing));
    long disturbed = all.map(Timing::usage).filter(u -> u != null && u.otherCores() >= MAX_OTHER_CORES).count();
    if (disturbed > 0) {
      System.out.printf("NOTE: %d of the runs below were disturbed by other processes even after %d attempts:"
          + " their figures are too slow; rerun on a quiet machine.%n%n", disturbed, MAX_ATTEMPTS);
    }
    if (!peerd.isEmpty() || !bcoin.isEmpty()) {
      System.out.printf(Locale.ROOT, "Sync of %,d regtest blocks over 127.0.0.1, median of %d run(s):%n%n", n,
          options.runs());
      System.out.println("| pair | seconds (follower start -> synced) | blocks/s | seconds after start returned"
          + " | CPU cores used (both nodes) |");
      System.out.println("| --- | --- | --- | --- | --- |");
      row("peerd -> peerd" + (options.inProcess() ? " (both in one JVM)" : " (a JVM each)") + warmLabel(), peerd);
      row("bcoin -> bcoin" + (options.bcoinInMemory() ? " (chain in memory)" : " (chain on disk)"), bcoin);
      if (!peerd.isEmpty() && !bcoin.isEmpty()) {
        double ratio = median(bcoin, Timing::totalSeconds) / median(peerd, Timing::totalSeconds);
        double ratioAfterStart = median(bcoin, Timing::afterStartSeconds) / median(peerd, Timing::afterStartSeconds);
        System.out.printf(Locale.ROOT, "| ratio (bcoin time / peerd time) | **%.2fx** | | %.2fx | |%n", ratio,
            ratioAfterStart);
        System.out.printf(Locale.ROOT, "%npeerd is %.2fx as fast as bcoin (goal: 10x)%n", ratio);
      }
    }
    if (!headers.isEmpty()) {
      System.out.printf(Locale.ROOT, "%nHeaders sync of %,d regtest headers (peerd -> peerd), median of %d run(s):%n%n",
          options.headers(), options.runs());
      System.out.println("| follower | seconds | headers/s | seconds after start returned | headers/s after start"
          + " | follower's tip when headers were done |");
      System.out.println("| --- | --- | --- | --- | --- | --- |");
      for (String variant : headers.stream().map(HeadersTiming::variant).distinct().toList()) {
        List<HeadersTiming> runs = headers.stream().filter(h -> h.variant().equals(variant)).toList();
        double seconds = median(runs.stream().map(HeadersTiming::timing).toList(), Timing::totalSeconds);
        double afterStart = median(runs.stream().map(HeadersTiming::timing).toList(), Timing::afterStartSeconds);
        System.out.printf(Locale.ROOT, "| %s%s | %.2f | **%,.0f** | %.2f | %,.0f | %s |%n", variant, warmLabel(),
            seconds, options.headers() / seconds, afterStart, options.headers() / afterStart,
            String.join(", ", runs.stream().map(h -> String.format("%,d", h.tipHeightThen())).toList()));
      }
    }
  }

  private String warmLabel() {
    return options.warmRounds() > 1 ? ", round " + options.warmRounds() + " in the same JVMs" : "";
  }

  private void row(String pair, List<Timing> runs) {
    if (runs.isEmpty()) {
      return;
    }
    double seconds = median(runs, Timing::totalSeconds);
    String cores = runs.stream().allMatch(t -> t.usage() != null)
        ? String.format(Locale.ROOT, "%.2f", median(runs, t -> t.usage().ownCores())) : "?";
    System.out.printf(Locale.ROOT, "| %s | %.2f (runs: %s) | %,.0f | %.2f | %s |%n", pair, seconds,
        String.join(", ", runs.stream().map(t -> String.format(Locale.ROOT, "%.2f", t.totalSeconds())).toList()),
        options.blocks() / seconds, median(runs, Timing::afterStartSeconds), cores);
  }

  private static double median(List<Timing> runs, java.util.function.ToDoubleFunction<Timing> field) {
    return medianOf(runs.stream().mapToDouble(field).toArray());
  }

  private static double medianOf(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  // ------------------------------------------------------------ helpers

  private Path freshDir(String name) throws IOException {
    Path dir = options.workDir().resolve(name);
    RegtestChainCache.deleteTree(dir);
    return Files.createDirectories(dir);
  }

  private interface Phase<T> {
    T run() throws Exception;
  }

  /**
   * Runs a timed phase, and again (up to {@value #MAX_ATTEMPTS} times in all) while other
   * processes were busy during it; each attempt is printed, the last one is kept.
   */
  private static <T> T undisturbed(Phase<T> phase, Function<T, MachineLoad.Usage> usage, Consumer<T> report)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      T result = phase.run();
      report.accept(result);
      MachineLoad.Usage used = usage.apply(result);
      if (used == null || used.otherCores() < MAX_OTHER_CORES || attempt == MAX_ATTEMPTS) {
        return result;
      }
      System.out.println("      (disturbed: measuring again)");
    }
  }

  /** Waits for other processes to quieten (bounded), then marks the start of a timed phase. */
  private MachineLoad.Mark awaitQuiet() throws InterruptedException {
    if (!MachineLoad.available()) {
      return null;
    }
    MachineLoad.awaitQuiet(MAX_OTHER_CORES, options.quietWait());
    return MachineLoad.mark();
  }

  private static MachineLoad.Usage usageSince(MachineLoad.Mark mark) {
    return mark == null ? null : MachineLoad.since(mark);
  }

  private interface Poll<T> {
    T get() throws Exception;
  }

  /** Polls every {@value #POLL_MILLIS} ms until a non-null state passes {@code done}; returns that state. */
  private static <T> T awaitState(Poll<T> poll, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
    while (true) {
      T state = poll.get();
      if (state != null && done.test(state)) {
        return state;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("timed out after " + SYNC_TIMEOUT + "; last state " + state);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  private static Options parse(String[] args) {
    int blocks = 20_000;
    int headers = 200_000;
    int runs = 1;
    Path workDir = Path.of("target/sync-bench");
    boolean peerd = true;
    boolean bcoin = true;
    boolean bcoinInMemory = false;
    int quietWaitSeconds = 300;
    List<Boolean> headerVariants = List.of(false, true);
    boolean inProcess = false;
    List<String> followerJvmOptions = List.of();
    int warmRounds = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--blocks" -> blocks = Integer.parseInt(value(args, ++i));
        case "--headers" -> headers = Integer.parseInt(value(args, ++i));
        case "--runs" -> runs = Integer.parseInt(value(args, ++i));
        case "--work-dir" -> workDir = Path.of(value(args, ++i));
        case "--no-peerd" -> peerd = false;
        case "--no-bcoin" -> bcoin = false;
        case "--bcoin-memory" -> bcoinInMemory = true;
        case "--in-process" -> inProcess = true;
        case "--follower-jvm-options" -> followerJvmOptions = List.of(value(args, ++i).trim().split("\\s+"));
        case "--warm-rounds" -> warmRounds = Integer.parseInt(value(args, ++i));
        case "--quiet-wait" -> quietWaitSeconds = Integer.parseInt(value(args, ++i));
        case "--headers-follower" -> headerVariants = switch (value(args, ++i)) {
          case "both" -> List.of(false, true);
          case "default" -> List.of(false);
          case "throttled" -> List.of(true);
          default -> {
            usage("--headers-follower is both, default or throttled");
            yield List.of();
          }
        };
        case "-h", "--help" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> usage("unknown option " + args[i]);
      }
    }
    if (blocks < 0 || headers < 0 || runs < 1 || warmRounds < 1) {
      usage("--blocks and --headers must be >= 0 (0 skips), --runs and --warm-rounds >= 1");
    }
    if (inProcess && warmRounds > 1) {
      usage("--warm-rounds needs a JVM per node: it cannot go with --in-process");
    }
    return new Options(blocks, headers, runs, workDir.toAbsolutePath(), peerd, bcoin, bcoinInMemory,
        Duration.ofSeconds(quietWaitSeconds), headerVariants, inProcess, followerJvmOptions, warmRounds);
  }

  private static final String USAGE = """
      Usage: bin/bench-sync [options]
        --blocks N      blocks for the peerd->peerd and bcoin->bcoin sync (default 20000; 0 skips)
        --headers N     headers for the peerd headers sync (default 200000; 0 skips)
        --runs N        repetitions; the summary shows medians (default 1)
        --headers-follower both|default|throttled
                        the headers follower's sync settings: default (blocks download meanwhile and
                        share the chain thread), throttled (one block request at a time), or both
                        (default)
        --no-peerd      skip peerd->peerd block sync
        --no-bcoin      skip bcoin->bcoin (no Node.js needed then)
        --bcoin-memory  bcoin keeps its chain in memory (default: on disk in LevelDB, like peerd's RocksDB)
        --in-process    run both peerd nodes in this JVM instead of one JVM each (later runs then
                        profit from a JIT warmed by earlier ones)
        --warm-rounds K the peerd follower's JVM syncs K times (each round a fresh node with fresh
                        data; the producer's JVM kept); the figures are the last round's: a JVM
                        warmed by earlier rounds, with no other node in its heap (default 1)
        --follower-jvm-options "FLAGS"
                        extra JVM flags for the peerd follower's JVM, e.g. a flight recording
        --quiet-wait S  before each timed sync, wait up to S seconds until other processes use under
                        0.2 cores (default 300); each run prints the CPU use during it
        --work-dir DIR  scratch and the cached peerd chains (default: <build dir>/sync-bench)""";

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(String message) {
    System.err.println("bench-sync: " + message);
    System.err.println(USAGE);
    System.exit(2);
  }
}
