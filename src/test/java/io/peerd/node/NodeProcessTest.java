package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * peerd as an operator runs it: a separate JVM running {@link Main} with the README's flags,
 * stopped by RPC or by SIGTERM within a bound, leaving a store that reopens at the same height.
 */
class NodeProcessTest {
  /** JVM start, store open and RPC up; generous for a loaded CI machine. */
  private static final Duration START_BOUND = Duration.ofSeconds(60);
  private static final Duration EXIT_BOUND = Duration.ofSeconds(15);
  private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process process : processes) {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void rpcStopEndsTheProcessWithExitCode0() throws Exception {
    Path datadir = dir.resolve("data");
    Started node = startNode(datadir);
    assertThat(node.rpc.call("generatetoaddress", 2, TestNodes.REGTEST_ADDRESS)).hasSize(2);

    assertThat(node.rpc.call("stop").asText()).isEqualTo("peerd stopping");

    assertExits(node, 0);
    assertThat(datadir.resolve("regtest/.cookie")).doesNotExist();
    assertReopensAtHeight(datadir, 2);
  }

  @Test
  void sigtermEndsTheProcessWithExitCode0AndTheStoreReopensAtTheSameHeight() throws Exception {
    Path datadir = dir.resolve("data");
    Started node = startNode(datadir);
    assertThat(node.rpc.call("generatetoaddress", 3, TestNodes.REGTEST_ADDRESS)).hasSize(3);

    node.process.destroy(); // SIGTERM

    assertExits(node, 0); // a clean stop, not the JVM's 128 + 15
    assertThat(datadir.resolve("regtest/.cookie")).as("the shutdown hook closed the node").doesNotExist();
    assertReopensAtHeight(datadir, 3);
  }

  /**
   * The README runs a node with {@code bin/run-node}, which builds a jar first; a test cannot run
   * Maven inside Maven, so it checks that the script starts the same main class this test starts,
   * with the same JVM flag, and passes the operator's arguments through.
   */
  @Test
  void binRunNodeStartsTheMainClassTheseTestsStart() throws IOException {
    List<String> javaLines = Files.readAllLines(Path.of("bin/run-node")).stream()
        .filter(line -> line.startsWith("exec java ")).toList();
    assertThat(javaLines).singleElement().satisfies(line -> assertThat(line)
        .contains(NATIVE_ACCESS)
        .endsWith(" " + Main.class.getName() + " \"$@\""));
  }

  // ------------------------------------------------------------ helpers

  private record Started(Process process, NodeRpcClient rpc, Path log) {}

  /** Starts {@code java -cp <test classpath> io.peerd.node.Main --regtest ...} and waits for RPC. */
  private Started startNode(Path datadir) throws IOException {
    int p2pPort = TestNodes.freePort();
    int rpcPort = TestNodes.freePort();
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path log = dir.resolve("node-" + processes.size() + ".log");
    Process process = new ProcessBuilder(java, NATIVE_ACCESS, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "--regtest", "--datadir", datadir.toString(),
        "--listen", "127.0.0.1:" + p2pPort, "--rpcport", String.valueOf(rpcPort))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    processes.add(process);
    NodeRpcClient rpc = NodeRpcClient.withCookie(rpcPort, datadir.resolve("regtest"));
    await("peerd answers RPC; its output is in " + log).atMost(START_BOUND).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast("peerd exited", () -> !process.isAlive())
        .until(() -> rpc.call("getblockcount").asInt() == 0);
    return new Started(process, rpc, log);
  }

  private static void assertExits(Started node, int exitCode) throws Exception {
    assertThat(node.process.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("exited within %s; output: %s", EXIT_BOUND, Files.readString(node.log)).isTrue();
    assertThat(node.process.exitValue()).as("exit code; output: %s", Files.readString(node.log)).isEqualTo(exitCode);
  }

  private static void assertReopensAtHeight(Path datadir, int height) throws Exception {
    try (Node reopened = TestNodes.start(TestNodes.regtest(datadir))) {
      assertThat(reopened.snapshot().tipHeight()).isEqualTo(height);
    }
  }
}
