package io.peerd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.chain.NetworkParameters;
import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.testing.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.peerd.rpc.RpcConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** peerd-cli's main against a real regtest node: real HTTP on 127.0.0.1, the node's cookie. */
class CliNodeTest {
  @TempDir
  Path dir;

  private record Run(int exitCode, String out, String err) {}

  @Test
  void callsTheNodeWithItsCookieAndPrintsAsBitcoinCli() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir))) {
      assertThat(cli(node, "getblockcount")).isEqualTo(new Run(0, "0\n", ""));

      Run mined = cli(node, "generatetoaddress", "2", TestNodes.REGTEST_ADDRESS);
      assertThat(mined.exitCode()).isZero();
      assertThat(mined.out()).startsWith("[\n  \"").endsWith("\"\n]\n").contains("\",\n  \"");

      Run hash = cli(node, "getblockhash", "2");
      assertThat(hash.out()).as("a string prints bare").matches("[0-9a-f]{64}\n");
      assertThat(mined.out()).contains(hash.out().strip());

      Run header = cli(node, "-named", "getblockheader", "blockhash=" + hash.out().strip(), "verbose=false");
      assertThat(header.out()).matches("[0-9a-f]{160}\n");
      Run positionalInNamed = cli(node, "-named", "getblockheader", hash.out().strip(), "verbose=true");
      assertThat(positionalInNamed.out()).contains("\n  \"height\": 2,\n");
    }
  }

  @Test
  void anRpcErrorGoesToStderrAndExitsWithItsCodesAbsoluteValue() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir))) {
      assertThat(cli(node, "getblockhash", "5"))
          .isEqualTo(new Run(8, "", "error code: -8\nerror message:\nBlock height out of range\n"));
      assertThat(cli(node, "nosuchmethod").exitCode()).isEqualTo(32601);
      assertThat(cli(node, "getblockhash", "five"))
          .isEqualTo(new Run(1, "", "error: Error parsing JSON: five\n"));
    }
  }

  @Test
  void wrongCredentialsAndNoServerExitWithOne() throws Exception {
    int port = TestNodes.freePort();
    Run noServer = run("--datadir", dir.toString(), "--rpcport", String.valueOf(port), "--rpcpassword", "x",
        "getblockcount");
    assertThat(noServer.exitCode()).isEqualTo(1);
    assertThat(noServer.err()).startsWith("error: Could not connect to the server 127.0.0.1:" + port + "\n\n")
        .contains("Make sure the peerd node is running");

    assertThat(run("--bogus", "getblockcount").exitCode()).isEqualTo(1);
    assertThat(run("--bogus").err()).startsWith("Error parsing command line arguments: Unknown option: '--bogus'");
    assertThat(run("--datadir", dir.toString())).isEqualTo(new Run(1, "", "error: too few parameters (need at least command)\n"));

    Run noCookie = run("--datadir", dir.toString(), "--rpcport", String.valueOf(port), "getblockcount");
    assertThat(noCookie.exitCode()).isEqualTo(1);
    assertThat(noCookie.err()).startsWith("error: Could not locate RPC credentials");

    try (Node node = TestNodes.start(TestNodes.regtest(dir))) {
      Run refused = run("--rpcport", String.valueOf(node.rpcPort()), "--rpcuser", "u", "--rpcpassword", "wrong",
          "getblockcount");
      assertThat(refused).isEqualTo(new Run(1, "", "error: Authorization failed: Incorrect rpcuser or rpcpassword\n"));
    }
  }

  @Test
  void thePortAndCredentialsMayComeFromTheNodesConfigFileAndTheCommandLineWins() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir).withRpc("127.0.0.1", 0,
        Optional.of(new RpcConfig.Credentials("alice", "secret"))))) {
      Files.writeString(dir.resolve("peerd.conf"),
          "regtest=1\nrpcport=" + node.rpcPort() + "\nrpcuser=alice\nrpcpassword=secret\nmaxconnections=3\n");

      assertThat(run("--datadir", dir.toString(), "getblockcount")).isEqualTo(new Run(0, "0\n", ""));
      assertThat(run("--datadir", dir.toString(), "--rpcpassword", "wrong", "getblockcount").exitCode()).isEqualTo(1);
      int unused = TestNodes.freePort();
      assertThat(run("--datadir", dir.toString(), "--rpcport", String.valueOf(unused), "getblockcount").err())
          .contains("127.0.0.1:" + unused);
    }
  }

  /**
   * A network flag chooses the node's default RPC port for that network, as the node's own flag
   * does; at most one is taken; the config file's network counts only when the command line names none.
   * Assumes no RPC server listens on 127.0.0.1 at Core's default ports (no node runs beside the tests).
   */
  @Test
  void aNetworkFlagChoosesItsDefaultPortAndTheCommandLinesFlagWinsOverTheConfigFiles() throws Exception {
    assertThat(noServerAt("--signet")).isEqualTo(NodeConfig.defaultRpcPort(NetworkParameters.SIGNET));
    assertThat(noServerAt()).as("regtest by default").isEqualTo(NodeConfig.defaultRpcPort(NetworkParameters.REGTEST));
    Files.writeString(dir.resolve("peerd.conf"), "testnet4=1\n");
    assertThat(noServerAt()).isEqualTo(NodeConfig.defaultRpcPort(NetworkParameters.TESTNET4));
    assertThat(noServerAt("--testnet")).isEqualTo(NodeConfig.defaultRpcPort(NetworkParameters.TESTNET3));

    Run two = run("--mainnet", "--regtest", "getblockcount");
    assertThat(two.exitCode()).isEqualTo(1);
    assertThat(two.err()).startsWith("Error parsing command line arguments: ").contains("mutually exclusive");
  }

  /** The port a call with {@code networkArgs} went to, from the error that no server answers there. */
  private int noServerAt(String... networkArgs) {
    List<String> all = new ArrayList<>(List.of(networkArgs));
    all.addAll(List.of("--datadir", dir.toString(), "--rpcpassword", "x", "getblockcount"));
    Run run = run(all.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(1);
    Matcher port = Pattern.compile("Could not connect to the server 127\\.0\\.0\\.1:(\\d+)\n").matcher(run.err());
    assertThat(port.find()).as(run.err()).isTrue();
    return Integer.parseInt(port.group(1));
  }

  private Run cli(Node node, String... args) {
    List<String> all = new ArrayList<>(List.of("--regtest", "--datadir", dir.toString(),
        "--rpcport", String.valueOf(node.rpcPort())));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Cli.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
