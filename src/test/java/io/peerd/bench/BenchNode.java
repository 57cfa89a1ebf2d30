package io.peerd.bench;

import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.rpc.RpcConfig;
import io.peerd.sync.SyncConfig;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A regtest peerd node in its own JVM for {@link SyncBenchmark}, the way bcoin runs there: P2P
 * and RPC on 127.0.0.1 at free ports, announced on standard output as {@code READY <p2p> <rpc>}
 * once started; it stops when its standard input ends (the benchmark closed it, or died).
 *
 * <p>Arguments: {@code DATADIR [CONNECT_PORT|-] [throttled] [maxinbound=N] [metrics=PORT] [rounds]}:
 * dial only 127.0.0.1:CONNECT_PORT; {@code throttled} limits block download to one request at a
 * time (for a headers measurement); {@code maxinbound} raises the inbound limit (for many idle
 * peers); {@code metrics} serves Prometheus metrics on 127.0.0.1:PORT (the node's own handshake
 * counts); {@code rounds}: each line read closes the node, deletes its data and starts a fresh
 * node in the same JVM, announced again (for a sync in a JVM whose JIT earlier rounds warmed).
 */
public final class BenchNode {
  static final String RPC_USER = "bench";
  static final String RPC_PASSWORD = "bench";

  private BenchNode() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    List<String> flags = List.of(args).subList(Math.min(2, args.length), args.length);
    boolean rounds = flags.contains("rounds");
    for (int round = 1; ; round++) {
      Path roundDir = rounds ? dataDir.resolve("round-" + round) : dataDir;
      boolean nextRound;
      try (Node node = TestNodes.start(config(roundDir, args, flags))) {
        System.out.println("READY " + node.p2pAddress().getPort() + " " + node.rpcPort());
        System.out.flush();
        nextRound = awaitLine();
      }
      if (!rounds || !nextRound) {
        break;
      }
      RegtestChainCache.deleteTree(roundDir);
    }
    System.exit(0);
  }

  private static NodeConfig config(Path dataDir, String[] args, List<String> flags) {
    NodeConfig config = args.length > 1 && !args[1].equals("-")
        ? TestNodes.connectedTo(dataDir, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])))
        : TestNodes.regtest(dataDir);
    config = config.withRpc("127.0.0.1", 0, Optional.of(new RpcConfig.Credentials(RPC_USER, RPC_PASSWORD)));
    if (flags.contains("throttled")) {
      config = config.withSync(throttled(SyncConfig.defaults()));
    }
    for (String flag : flags) {
      if (flag.startsWith("maxinbound=")) {
        config = config.withServer(config.server().withMaxInbound(Integer.parseInt(flag.substring(11))));
      }
      if (flag.startsWith("metrics=")) {
        config = config.withMetrics(new InetSocketAddress("127.0.0.1", Integer.parseInt(flag.substring(8))));
      }
    }
    return config;
  }

  /** Reads standard input up to the end of a line (true) or of the input (false). */
  private static boolean awaitLine() throws IOException {
    for (int b; (b = System.in.read()) >= 0; ) {
      if (b == '\n') {
        return true;
      }
    }
    return false;
  }

  /** A block window of one and one block request at a time: header batches hardly wait behind blocks. */
  static SyncConfig throttled(SyncConfig d) {
    return new SyncConfig(1, 1, d.stallTimeoutMillis(), d.maxStallTimeoutMillis(), d.headersTimeoutMillis(),
        d.blockTimeoutMillis(), d.tickMillis(), d.progressLogMillis(), d.maxPendingAtChain());
  }
}
