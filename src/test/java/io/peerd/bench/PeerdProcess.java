package io.peerd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.node.StartCacheTraining;
import io.peerd.testing.NodeRpcClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link BenchNode} child JVM and JSON-RPC to it, as {@code BcoinNode} is for bcoin. */
final class PeerdProcess implements AutoCloseable {
  /** The first start also makes the start-up cache: the training's own bound, then a minute to start. */
  private static final long START_TIMEOUT_SECONDS = TimeUnit.MILLISECONDS.toSeconds(StartCacheTraining.TIMEOUT_MILLIS)
      + 60;

  /** A round's fresh node starts in a warm JVM: a minute is plenty. */
  private static final long NEXT_ROUND_TIMEOUT_SECONDS = 60;

  private final Process process;
  private final BufferedReader output;
  private int p2pPort;
  private NodeRpcClient rpc;

  private PeerdProcess(Process process, BufferedReader output) {
    this.process = process;
    this.output = output;
  }

  /**
   * Starts a node in a new JVM and returns once it is ready. The JVM starts through {@code
   * bin/node-java}, as {@code bin/run-node} starts a node (with the start-up cache), from the class
   * path and cache folder {@code bin/bench-java} names.
   *
   * @param connectPort the only peer to dial, or -1 for none
   * @param jvmOptions extra JVM flags, e.g. for a flight recording
   */
  static PeerdProcess start(Path dataDir, int connectPort, boolean throttled, List<String> jvmOptions)
      throws IOException, InterruptedException {
    return start(dataDir, connectPort, throttled ? List.of("throttled") : List.of(), jvmOptions);
  }

  /** @param flags {@link BenchNode}'s flags after the data directory and peer */
  static PeerdProcess start(Path dataDir, int connectPort, List<String> flags, List<String> jvmOptions)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bin/node-java", benchProperty("peerd.bench.startCache"),
        benchProperty("peerd.bench.nodeClasspath")));
    command.addAll(jvmOptions);
    command.addAll(List.of(BenchNode.class.getName(), dataDir.toString(),
        connectPort < 0 ? "-" : Integer.toString(connectPort)));
    command.addAll(flags);
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    PeerdProcess peerd = new PeerdProcess(process,
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
    try {
      peerd.awaitReady(START_TIMEOUT_SECONDS);
      return peerd;
    } catch (Exception e) {
      kill(process);
      process.waitFor();
      throw new IllegalStateException("peerd child did not start", e);
    }
  }

  /**
   * For a child started with {@link BenchNode}'s {@code rounds} flag: it closes its node, deletes
   * the node's data and starts a fresh node in the same JVM; returns once that one is ready.
   */
  void nextRound() throws Exception {
    process.getOutputStream().write('\n');
    process.getOutputStream().flush();
    awaitReady(NEXT_ROUND_TIMEOUT_SECONDS);
  }

  /** Waits for the child's {@code READY <p2p> <rpc>} line and takes the ports from it. */
  private void awaitReady(long timeoutSeconds) throws Exception {
    String[] parts = readyLine(output, timeoutSeconds).split(" ");
    p2pPort = Integer.parseInt(parts[1]);
    rpc = NodeRpcClient.withPassword(Integer.parseInt(parts[2]), BenchNode.RPC_USER, BenchNode.RPC_PASSWORD);
  }

  /**
   * A benchmark child's first line that starts with {@code READY }, read within {@code
   * timeoutSeconds}; fails if the child's output ends first. After a timeout the reading thread
   * stays blocked until the caller kills the child.
   */
  static String readyLine(BufferedReader output, long timeoutSeconds)
      throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = output.readLine()) != null; ) {
          if (line.startsWith("READY ")) {
            return line;
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    String line = ready.get(timeoutSeconds, TimeUnit.SECONDS);
    if (line == null) {
      throw new IllegalStateException("the child exited before it was ready");
    }
    return line;
  }

  private static String benchProperty(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(name + " is not set: run benchmarks through their bin/bench-* script");
    }
    return value;
  }

  int p2pPort() {
    return p2pPort;
  }

  long pid() {
    return process.pid();
  }

  JsonNode rpc(String method, Object... params) throws IOException, InterruptedException {
    return rpc.call(method, params);
  }

  /** Closes its standard input (it stops its node and exits), then waits; kills it after 20 s. */
  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill(process);
        process.waitFor();
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
    }
  }

  /** bin/node-java runs its training JVM as a child: it goes too. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
