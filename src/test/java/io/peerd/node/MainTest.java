package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.testing.LiveThreads;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's surface, through {@link Main#run}: exit codes and messages for bad arguments,
 * the config file and its precedence, and a node run by the command line until RPC stop.
 */
class MainTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void anUnknownFlagPrintsAOneLineErrorAndTheUsageAndExits2() {
    Run run = runCapturingOutput("--datadir", dir.toString(), "--bogus");
    assertThat(run.exitCode).isEqualTo(2);
    List<String> lines = run.stderr.lines().toList();
    assertThat(lines.get(0)).isEqualTo("peerd: Unknown option: '--bogus'");
    assertThat(lines.get(1)).startsWith("Usage: peerd");
    assertThat(run.stderr).contains("--rpcport", "--connect");
    assertThat(dir.resolve("regtest")).as("nothing started").doesNotExist();
  }

  @Test
  void helpAndVersionGoToStandardOutputWithExitCode0() {
    Run help = runCapturingOutput("--datadir", dir.toString(), "--help");
    assertThat(help.exitCode).isZero();
    assertThat(help.stdout).startsWith("Usage: peerd").contains("--rpcport=PORT", "--connect=HOST[:PORT]");
    assertThat(help.stderr).isEmpty();

    Run version = runCapturingOutput("-V");
    assertThat(version.exitCode).isZero();
    assertThat(version.stdout).isEqualTo("peerd 0.1.0\n");
    assertThat(dir.resolve("regtest")).as("nothing started").doesNotExist();
  }

  @Test
  void twoNetworksOrABadValueExit2() {
    Run twoNetworks = runCapturingOutput("--datadir", dir.toString(), "--testnet", "--regtest");
    assertThat(twoNetworks.exitCode).isEqualTo(2);
    assertThat(twoNetworks.stderr.lines().findFirst()).hasValueSatisfying(line ->
        assertThat(line).startsWith("peerd: ").contains("mutually exclusive"));

    Run badPort = runCapturingOutput("--datadir", dir.toString(), "--rpcport", "many");
    assertThat(badPort.exitCode).isEqualTo(2);
    assertThat(badPort.stderr.lines().findFirst()).hasValueSatisfying(line -> assertThat(line).startsWith("peerd: "));

    Run userOnly = runCapturingOutput("--datadir", dir.toString(), "--rpcuser", "alice");
    assertThat(userOnly.exitCode).isEqualTo(2);
    assertThat(userOnly.stderr).isEqualTo("peerd: --rpcuser and --rpcpassword go together" + System.lineSeparator());
    assertThat(dir.resolve("regtest")).doesNotExist();
  }

  @Test
  void aBadMetricsAddressExits2SayingWhatIsWrong() throws IOException {
    Run noPort = runCapturingOutput("--datadir", dir.toString(), "--metrics", "127.0.0.1");
    assertThat(noPort.exitCode).isEqualTo(2);
    assertThat(noPort.stderr).isEqualTo("peerd: --metrics: no port from 1 to 65535 in '127.0.0.1'; "
        + "expected PORT or HOST:PORT" + System.lineSeparator());

    Run badPort = runCapturingOutput("--datadir", dir.toString(), "--metrics=70000");
    assertThat(badPort.exitCode).isEqualTo(2);
    assertThat(badPort.stderr).startsWith("peerd: --metrics: port 70000 is not from 1 to 65535");

    Files.writeString(dir.resolve(Main.CONFIG_FILE), "metrics=127.0.0.1:many\n");
    Run fromFile = runCapturingOutput("--datadir", dir.toString());
    assertThat(fromFile.exitCode).isEqualTo(2);
    assertThat(fromFile.stderr).startsWith("peerd: --metrics: bad port in '127.0.0.1:many'");
    assertThat(dir.resolve("regtest")).as("nothing started").doesNotExist();
  }

  @Test
  void productionOptionsThatCannotWorkExit2SayingWhy() throws IOException {
    String address = TestNodes.REGTEST_ADDRESS;
    assertUsageError("peerd: --produce-interval needs --produce-address", "--produce-interval", "1");
    assertUsageError("peerd: block production (--produce-interval) is for regtest only", "--testnet",
        "--produce-interval", "1", "--produce-address", address);
    assertUsageError("peerd: --produce-address and the --ha-* options need --produce-interval", "--ha-id", "a");
    assertUsageError("peerd: --produce-address and the --ha-* options need --produce-interval",
        "--ha-bind", "127.0.0.1:1");
    assertUsageError("peerd: --ha-bind needs --ha-id", "--produce-interval", "1", "--produce-address", address,
        "--ha-bind", "127.0.0.1:1");
    assertUsageError("peerd: --ha-id and --ha-peers go together", "--produce-interval", "1", "--produce-address",
        address, "--ha-id", "a");
    assertUsageError("peerd: an HA group has 1, 3 or 5 members, not 2", "--produce-interval", "1",
        "--produce-address", address, "--ha-id", "a", "--ha-peers", "a@127.0.0.1:1,b@127.0.0.1:2");
    assertUsageError("peerd: --produce-interval must be at least 0.01 s", "--produce-interval", "0.001",
        "--produce-address", address);
  }

  private void assertUsageError(String message, String... options) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("--datadir", dir.toString()));
    args.addAll(List.of(options));
    Run run = runCapturingOutput(args.toArray(String[]::new));
    assertThat(run.stderr).isEqualTo(message + System.lineSeparator());
    assertThat(run.exitCode).isEqualTo(2);
  }

  @Test
  void metricsFromTheConfigFileAreServedOnLoopbackWhenOnlyAPortIsGiven() throws Exception {
    int rpcPort = TestNodes.freePort();
    int metricsPort = TestNodes.freePort();
    Files.writeString(dir.resolve(Main.CONFIG_FILE), "metrics=" + metricsPort + "\n");
    CompletableFuture<Integer> node = runInBackground("--datadir", dir.toString(), "--nolisten",
        "--rpcport", String.valueOf(rpcPort));
    NodeRpcClient rpc = NodeRpcClient.withCookie(rpcPort, dir.resolve("regtest"));
    awaitAnswers(rpc, node);
    HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("peerd_chain_tip_height_blocks 0");
    stop(rpc, node);
    assertRefused(metricsPort);
  }

  /** Every flag takes 1 or 0 in the file, as bitcoind's do; each named once, so none is forgotten. */
  @Test
  void everyFlagInTheConfigFileIsOneOrZero() throws IOException {
    Files.writeString(dir.resolve(Main.CONFIG_FILE), "nolisten=1\nnodnsseed=1\nnofixedseeds=0\nsignet=1\n");
    assertThat(Main.configFileArgs(dir.resolve(Main.CONFIG_FILE)))
        .containsExactly("--nolisten", "--nodnsseed", "--signet");
  }

  @Test
  void aBadConfigFileLineExits2() throws IOException {
    Files.writeString(dir.resolve(Main.CONFIG_FILE), "rpcport 18443\n");
    Run run = runCapturingOutput("--datadir", dir.toString());
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.stderr).startsWith("peerd: ").contains("line 1", "key=value");
  }

  @Test
  void theConfigFileIsHonouredAndTheCommandLineOverridesIt() throws Exception {
    int filePort = TestNodes.freePort();
    int p2pPort = TestNodes.freePort();
    Files.writeString(dir.resolve(Main.CONFIG_FILE), String.join("\n",
        "# as bitcoin.conf", "regtest=1", "rpcport=" + filePort, "listen=127.0.0.1:" + p2pPort, ""));

    CompletableFuture<Integer> fromFile = runInBackground("--datadir", dir.toString());
    NodeRpcClient rpc = NodeRpcClient.withCookie(filePort, dir.resolve("regtest"));
    awaitAnswers(rpc, fromFile);
    new Socket(InetAddress.getLoopbackAddress(), p2pPort).close(); // listening where the file says
    stop(rpc, fromFile);

    int commandLinePort = TestNodes.freePort();
    CompletableFuture<Integer> overridden = runInBackground("--regtest", "--datadir", dir.toString(),
        "--rpcport", String.valueOf(commandLinePort), "--nolisten");
    NodeRpcClient overriddenRpc = NodeRpcClient.withCookie(commandLinePort, dir.resolve("regtest"));
    awaitAnswers(overriddenRpc, overridden);
    assertRefused(filePort);
    assertRefused(p2pPort);
    stop(overriddenRpc, overridden);
  }

  @Test
  void rpcUserAndPasswordFromTheCommandLineAuthenticateAndNoCookieIsWritten() throws Exception {
    int rpcPort = TestNodes.freePort();
    CompletableFuture<Integer> node = runInBackground("--regtest", "--datadir", dir.toString(), "--nolisten",
        "--rpcport", String.valueOf(rpcPort), "--rpcuser", "alice", "--rpcpassword", "s3cret");
    NodeRpcClient rpc = NodeRpcClient.withPassword(rpcPort, "alice", "s3cret");
    awaitAnswers(rpc, node);
    assertThat(dir.resolve("regtest/.cookie")).doesNotExist();
    assertThat(rpc.post(NodeRpcClient.basic("alice:s3cre"), "getblockcount").statusCode()).isEqualTo(401);
    assertThat(rpc.post(null, "getblockcount").statusCode()).isEqualTo(401);
    stop(rpc, node);
  }

  @Test
  void aStartFailureExits1AndReleasesTheStoreAndThreads() throws Exception {
    LiveThreads baseline = LiveThreads.snapshot();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run = runCapturingOutput("--datadir", dir.toString(), "--listen", "127.0.0.1:" + taken.getLocalPort(),
          "--rpcport", "-1");
      assertThat(run.exitCode).isEqualTo(1);
      assertThat(run.stderr).startsWith("peerd: cannot listen on");
    }
    baseline.awaitNoneAdded(BOUND);
    Node.open(TestNodes.regtest(dir)).close(); // the store's lock was released
  }

  // ------------------------------------------------------------ helpers

  private record Run(int exitCode, String stderr, String stdout) {}

  /** Runs {@link Main#run} with System.out and System.err captured (tests run one at a time in this JVM). */
  private static Run runCapturingOutput(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exitCode = Main.run(args);
      return new Run(exitCode, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  private static CompletableFuture<Integer> runInBackground(String... args) {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread.ofPlatform().name("main-run").start(() -> {
      try {
        exit.complete(Main.run(args));
      } catch (Throwable e) {
        exit.completeExceptionally(e);
      }
    });
    return exit;
  }

  private static void awaitAnswers(NodeRpcClient rpc, CompletableFuture<Integer> run) {
    await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .failFast("peerd exited", run::isDone)
        .until(() -> rpc.call("getblockcount").asInt() == 0);
  }

  /** RPC stop makes {@link Main#run} return 0. */
  private static void stop(NodeRpcClient rpc, CompletableFuture<Integer> run) throws Exception {
    assertThat(rpc.call("stop").asText()).isEqualTo("peerd stopping");
    assertThat(run.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isZero();
  }

  private static void assertRefused(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      throw new AssertionError("something listens on " + port + ": " + socket);
    } catch (ConnectException expected) {
      // nothing listens there
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
