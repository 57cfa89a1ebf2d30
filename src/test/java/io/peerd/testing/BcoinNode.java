package io.peerd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real bcoin 1.0.2 regtest full node, a third-party peer on 127.0.0.1, installed from
 * {@code src/test/bcoin} on first use. Chain and mempool live in memory; the node has no wallet.
 *
 * <p>By default it listens for P2P on {@link #p2pPort()} and dials nobody. bcoin starts a chain
 * sync only with a peer it dialed (from peers that dial it, it only fetches blocks they announce
 * by inv), so to make it download from a node at port P, start it with {@code
 * --only=127.0.0.1:P}. Extra arguments come after the defaults and win over them (bcoin keeps
 * the last value of an option), except the ones this handle depends on, which are refused.
 */
public final class BcoinNode implements AutoCloseable {
  /**
   * A regtest P2PKH address bcoin accepts (private key 0x01 repeated 32 times, bcoin's regtest
   * prefix 0x3c). bcoin's regtest addresses differ from Bitcoin Core's (bcrt1, m/n/2).
   */
  public static final String MINING_ADDRESS = "RLNcgZpJgK6Uh3zXgkm2z7As5nJJVt6HXr";

  private static final String API_KEY = "x";
  /**
   * A port nobody listens on: bcoin's regtest seed is 127.0.0.1 at its default port, which could
   * be another test's node, so by default bcoin may only dial this dead end.
   */
  private static final String DIAL_NOBODY = "--only=127.0.0.1:1";
  /** Options whose value this handle chooses and relies on, normalized like bcoin does. */
  private static final Set<String> OWNED_OPTIONS =
      Set.of("network", "prefix", "port", "httpport", "httphost", "apikey");
  /** Each generatetoaddress holds bcoin's RPC lock and returns every hash: keep calls short. */
  private static final int MAX_BLOCKS_PER_CALL = 1000;
  /** Bounds one RPC call; the slowest call here, mining 1,000 blocks, takes about a second. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
  /** Bounds one readiness probe, so a node that accepts but never answers cannot outlast the start. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final long START_TIMEOUT_MILLIS = 30_000;
  private static final long STOP_TIMEOUT_MILLIS = 10_000;
  private static final long POLL_MILLIS = 50;
  /** Ports are picked free but bound by bcoin later, so another process may take one first. */
  private static final int MAX_START_ATTEMPTS = 3;

  private final Process process;
  private final int p2pPort;
  private final int httpPort;
  private final Path logFile;
  private final BcoinRpc rpc;
  private final BcoinRpc probe;
  private final AtomicBoolean closed = new AtomicBoolean();

  private BcoinNode(Process process, int p2pPort, int httpPort, Path logFile) {
    this.process = process;
    this.p2pPort = p2pPort;
    this.httpPort = httpPort;
    this.logFile = logFile;
    this.rpc = new BcoinRpc(httpPort, API_KEY, CALL_TIMEOUT);
    this.probe = new BcoinRpc(httpPort, API_KEY, PROBE_TIMEOUT);
  }

  /**
   * Starts a node with its files and log in {@code workDir} and returns once its RPC answers and
   * its P2P side listens (unless told {@code --listen=false}).
   *
   * @param extraArgs further bcoin options such as {@code --only=127.0.0.1:PORT}, {@code
   *     --listen=false} or {@code --log-level=debug}
   */
  public static BcoinNode start(Path workDir, List<String> extraArgs) throws IOException, InterruptedException {
    rejectOwnedOptions(extraArgs);
    Path packageDir = NpmInstall.ensureInstalled("bcoin");
    Files.createDirectories(workDir);
    for (int attempt = 1; ; attempt++) {
      BcoinNode node = launch(packageDir, workDir.toAbsolutePath(), extraArgs);
      try {
        node.awaitReady();
        return node;
      } catch (PortTakenException e) {
        if (attempt == MAX_START_ATTEMPTS) {
          throw new IllegalStateException("bcoin lost its ports to another process " + attempt + " times", e);
        }
      } catch (IOException | RuntimeException | InterruptedException e) {
        node.close();
        throw e;
      }
    }
  }

  public int p2pPort() {
    return p2pPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The node process's id, e.g. to read its CPU time. */
  public long pid() {
    return process.pid();
  }

  /** bcoin's standard output and error. */
  public Path logFile() {
    return logFile;
  }

  /**
   * Calls a bcoin JSON-RPC method and returns its result.
   *
   * @throws BcoinRpcException when bcoin answers with an error
   */
  public JsonNode rpc(String method, Object... params) throws IOException, InterruptedException {
    return rpc.call(method, params);
  }

  public int blockCount() throws IOException, InterruptedException {
    return rpc("getblockcount").asInt();
  }

  public String bestBlockHash() throws IOException, InterruptedException {
    return rpc("getbestblockhash").asText();
  }

  /** The hash of the main-chain block at {@code height}, in RPC (reversed hex) order. */
  public String blockHash(int height) throws IOException, InterruptedException {
    return rpc("getblockhash", height).asText();
  }

  /** Mines {@code blocks} blocks on top of the tip, paying {@link #MINING_ADDRESS}. */
  public void mine(int blocks) throws IOException, InterruptedException {
    if (blocks < 0) {
      throw new IllegalArgumentException("blocks must be >= 0: " + blocks);
    }
    for (int left = blocks; left > 0; left -= MAX_BLOCKS_PER_CALL) {
      rpc("generatetoaddress", Math.min(left, MAX_BLOCKS_PER_CALL), MINING_ADDRESS);
    }
  }

  /** Waits until the node has at least {@code count} blocks above genesis. */
  public void awaitBlockCount(int count, Duration timeout) throws IOException, InterruptedException {
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    int blocks = blockCount();
    while (blocks < count) {
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new IllegalStateException("bcoin (P2P port " + p2pPort + ") has " + blocks + " blocks, not " + count
            + ", after " + timeout + "; see " + logFile);
      }
      Thread.sleep(POLL_MILLIS);
      blocks = blockCount();
    }
  }

  /** Stops the node: SIGTERM, then SIGKILL if it has not exited within 10 s. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static BcoinNode launch(Path packageDir, Path workDir, List<String> extraArgs) throws IOException {
    int[] ports = {TestNodes.freePort(), TestNodes.freePort()};
    Path logFile = workDir.resolve("bcoin.log");
    List<String> command = command(packageDir, workDir, ports[0], ports[1], extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(packageDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile());
    // bcoin also reads BCOIN_* variables; the test's node must not depend on the caller's shell.
    builder.environment().keySet().removeIf(name -> name.startsWith("BCOIN_"));
    try {
      return new BcoinNode(builder.start(), ports[0], ports[1], logFile);
    } catch (IOException e) {
      throw new IOException("bcoin tests need Node.js 20 on the PATH, and `node` could not be started", e);
    }
  }

  /** The shared recipe's command line, plus two preloads (see their comments); stdin stays a pipe. */
  private static List<String> command(
      Path packageDir, Path workDir, int p2pPort, int httpPort, List<String> extraArgs) {
    List<String> command = new ArrayList<>(List.of(
        "node",
        "--require=" + packageDir.resolve("exit-with-parent.js"),
        "--require=" + packageDir.resolve("skip-external-ip-lookup.js"),
        packageDir.resolve("node_modules/bcoin/bin/node").toString(),
        "--network=regtest",
        "--memory=true",
        "--prefix=" + workDir,
        "--listen=true",
        "--host=127.0.0.1",
        "--port=" + p2pPort,
        DIAL_NOBODY,
        "--http-host=127.0.0.1",
        "--http-port=" + httpPort,
        "--api-key=" + API_KEY,
        "--no-wallet",
        "--workers=false",
        "--log-level=info"));
    command.addAll(extraArgs);
    return command;
  }

  private static void rejectOwnedOptions(List<String> extraArgs) {
    for (String arg : extraArgs) {
      if (OWNED_OPTIONS.contains(optionName(arg))) {
        throw new IllegalArgumentException("BcoinNode sets " + arg.split("=", 2)[0] + " itself: " + arg);
      }
    }
  }

  /** bcoin's option name for an argument: {@code --http-port=1} and {@code --httpport=1} are one option. */
  private static String optionName(String arg) {
    String name = arg.startsWith("--") ? arg.substring(2) : arg;
    int equals = name.indexOf('=');
    return (equals < 0 ? name : name.substring(0, equals)).replace("-", "").toLowerCase(Locale.ROOT);
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    while (!networkActive()) {
      if (!process.isAlive()) {
        throw startFailure("bcoin exited with code " + process.exitValue());
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        throw startFailure("bcoin (RPC port " + httpPort + ") was not ready within " + START_TIMEOUT_MILLIS + " ms");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * bcoin answers RPC before its P2P side is up; networkactive turns true once it listens and has
   * made its first dials, so a peer dialing it after start() returns is not refused.
   */
  private boolean networkActive() throws InterruptedException {
    try {
      return probe.call("getnetworkinfo").path("networkactive").asBoolean();
    } catch (IOException e) {
      return false;
    }
  }

  private RuntimeException startFailure(String reason) throws IOException {
    close();
    String log = NpmInstall.tail(logFile);
    if (log.contains("EADDRINUSE")) {
      return new PortTakenException(reason);
    }
    return new IllegalStateException(reason + "; " + logFile + ":\n" + log);
  }

  /** bcoin could not bind a port picked as free: worth another attempt with new ports. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
