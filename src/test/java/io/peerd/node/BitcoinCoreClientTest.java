package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.NpmInstall;
import io.peerd.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party client against peerd's RPC: the npm {@code bitcoin-core} package (5.0.0, from
 * {@code src/test/rpc-client}, installed with npm ci) calls a regtest node on 127.0.0.1 with its
 * cookie credentials, through its own method wrappers, named params and a batch, and prints what
 * it got as JSON for this test to check.
 */
class BitcoinCoreClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long CLIENT_TIMEOUT_SECONDS = 120;

  @TempDir
  Path dir;

  @Test
  void theNpmBitcoinCoreClientDrivesPeerdsMethods() throws Exception {
    Path client = NpmInstall.ensureInstalled("rpc-client");
    try (Node node = TestNodes.start(TestNodes.regtest(dir))) {
      JsonNode out = run(client, node);

      List<String> generated = JSON.convertValue(out.get("generated"), JSON.getTypeFactory()
          .constructCollectionType(List.class, String.class));
      assertThat(generated).hasSize(2);
      assertThat(out.get("blockcount").asInt()).isEqualTo(2);
      assertThat(out.get("networkinfo").get("subversion").asText()).isEqualTo("/peerd:0.1.0/");
      assertThat(out.get("networkinfo").get("connections").asInt()).isZero();
      assertThat(out.get("nettotals").has("totalbytesrecv")).isTrue();
      assertThat(out.get("chaintips").toString()).isEqualTo(
          "[{\"height\":2,\"hash\":\"" + generated.get(1) + "\",\"branchlen\":0,\"status\":\"active\"}]");
      assertThat(out.get("difficulty").asDouble()).isPositive();
      assertThat(out.get("uptime").asLong()).isNotNegative();
      assertThat(out.get("ping").isNull()).isTrue();
      assertThat(out.get("rpcinfo").get("active_commands").get(0).get("method").asText()).isEqualTo("getrpcinfo");
      assertThat(out.get("memoryinfo").get("locked").get("used").asLong()).isPositive();
      assertThat(out.get("logging").has("net")).isTrue();
      assertThat(out.get("help").asText()).startsWith("== Blockchain ==\n").contains("\n== Network ==\n");
      assertThat(out.get("helpGetblock").asText()).startsWith("getblock \"blockhash\" ( verbosity )");
      assertThat(out.get("headerHex").asText()).matches("[0-9a-f]{160}");
      assertThat(out.get("blockNamed").get("hash").asText()).isEqualTo(generated.get(1));
      assertThat(out.get("blockNamed").get("height").asInt()).isEqualTo(2);
      assertThat(out.get("batch").toString()).isEqualTo("[2,\"" + generated.get(1) + "\"]");
      assertThat(out.get("heightError").toString()).isEqualTo("{\"code\":-8,\"message\":\"Block height out of range\"}");
      assertThat(out.get("notServedError").toString()).isEqualTo("{\"code\":-32601,\"message\":\"Method not found\"}");
    }
  }

  /** Runs the client script with the node's port and cookie; its stdout is one JSON object. */
  private JsonNode run(Path client, Node node) throws Exception {
    String[] cookie = NodeRpcClient.readCookie(node.config().networkDirectory()).split(":", 2);
    Path stdout = dir.resolve("client.out");
    Path stderr = dir.resolve("client.err");
    Process process = new ProcessBuilder("node", "rpc-calls.js", String.valueOf(node.rpcPort()), cookie[0], cookie[1],
        TestNodes.REGTEST_ADDRESS)
        .directory(client.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    boolean finished = process.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    assertThat(finished && process.exitValue() == 0).as("client failed: " + Files.readString(stderr)).isTrue();
    return JSON.readTree(stdout.toFile());
  }
}
