package io.peerd.node;

import io.peerd.net.HostPort;
import io.peerd.wire.Hash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The workload {@code bin/node-java} runs once per build to make the start-up cache: in one JVM, a
 * regtest producer mines {@link #DEFAULT_BLOCKS} blocks, then a second node, configured from a
 * command line as {@link Main} does it, syncs them from it over 127.0.0.1, headers first; both
 * stop. The JVM keeps the classes they loaded and the profiles of the methods they ran, so a node
 * started with the cache starts sooner and compiles its sync path sooner (BENCHMARKS.md, Start and
 * sync). Everything is bounded: it gives up after {@link #TIMEOUT_MILLIS}.
 *
 * <p>Arguments: {@code SCRATCH_DIR [BLOCKS]}. Exit code 0 once the follower holds the producer's
 * tip; anything else means no cache should be kept.
 */
public final class StartCacheTraining {
  static final int DEFAULT_BLOCKS = 5_000;
  public static final long TIMEOUT_MILLIS = 120_000;
  private static final long POLL_MILLIS = 20;
  /** OP_TRUE: the training chain is thrown away, its coins go nowhere. */
  private static final byte[] PAY_TO = {0x51};

  private StartCacheTraining() {}

  public static void main(String[] args) {
    try {
      train(args);
    } catch (Exception e) {
      System.err.println("peerd: start-up cache training failed: " + e);
      System.exit(Main.EXIT_START_FAILED);
    }
    System.exit(0); // the cache is written at exit; no thread of the closed nodes may delay it
  }

  private static void train(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      throw new IllegalArgumentException("usage: StartCacheTraining SCRATCH_DIR [BLOCKS]");
    }
    Path scratch = Path.of(args[0]);
    int blocks = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_BLOCKS;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
    try (Node producer = start(scratch.resolve("producer"), List.of())) {
      List<Hash> mined = producer.chainActor().generate(blocks, PAY_TO)
          .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      Hash tip = mined.getLast();
      try (Node follower = start(scratch.resolve("follower"),
          List.of("--connect=" + HostPort.format(producer.p2pAddress())))) {
        while (!follower.snapshot().tip().hash().equals(tip)) {
          if (remainingMillis(deadline) == 0) {
            throw new IllegalStateException("the follower did not sync " + blocks + " blocks in "
                + TIMEOUT_MILLIS + " ms; at height " + follower.snapshot().tipHeight());
          }
          Thread.sleep(POLL_MILLIS);
        }
      }
    }
  }

  /** A regtest node listening on 127.0.0.1 at a free port, RPC on a free port, no seeds. */
  private static Node start(Path dataDir, List<String> extraOptions) throws Exception {
    List<String> args = new ArrayList<>(List.of("--regtest", "--datadir=" + dataDir, "--listen=127.0.0.1:0",
        "--rpcport=0", "--nodnsseed", "--nofixedseeds"));
    args.addAll(extraOptions);
    Node node = Node.open(Main.of(Main.OPTIONS.parse(args)).nodeConfig());
    Main.startOrClose(node);
    return node;
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
