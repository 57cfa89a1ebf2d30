package io.peerd.node;

import static io.peerd.testing.TestNodes.PROMPTLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerd.peer.PeerConfig;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** getnetworkinfo, getnettotals, ping and getrpcinfo over real HTTP, with a raw peer on a real socket. */
class NodeNetworkRpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  @AutoClose
  private Node node;
  @AutoClose
  private RawPeer remote;
  private NodeRpcClient rpc;

  @BeforeEach
  void startNodeWithAPeer() throws Exception {
    node = TestNodes.start(TestNodes.regtest(dir));
    rpc = NodeRpcClient.of(node);
    remote = RawPeer.connect(node);
    remote.handshake();
    await().atMost(PROMPTLY).until(() -> rpc.call("getconnectioncount").asInt() == 1);
  }

  @Test
  void getnetworkinfoHasCoresFieldsInCoresOrder() throws Exception {
    JsonNode info = rpc.call("getnetworkinfo");

    assertThat(fieldNames(info)).containsExactly("version", "subversion", "protocolversion", "localservices",
        "localservicesnames", "localrelay", "timeoffset", "networkactive", "connections", "connections_in",
        "connections_out", "networks", "relayfee", "incrementalfee", "localaddresses", "warnings");
    assertThat(info.get("version").asInt()).isEqualTo(100);
    assertThat(info.get("subversion").asText()).isEqualTo(PeerConfig.USER_AGENT);
    assertThat(info.get("protocolversion").asInt()).isEqualTo(PeerConfig.PROTOCOL_VERSION);
    assertThat(info.get("localservices").asText()).isEqualTo("0000000000000009");
    assertThat(info.get("localservicesnames")).isEqualTo(JSON.valueToTree(List.of("NETWORK", "WITNESS")));
    assertThat(info.get("timeoffset").asLong()).as("no outbound peer").isZero();
    assertThat(info.get("connections").asInt()).isEqualTo(1);
    assertThat(info.get("connections_in").asInt()).isEqualTo(1);
    assertThat(info.get("connections_out").asInt()).isZero();
    assertThat(info.get("networks")).extracting(n -> n.get("name").asText())
        .containsExactly("ipv4", "ipv6", "onion", "i2p", "cjdns");
    assertThat(info.get("networks").get(0).get("reachable").asBoolean()).isTrue();
    assertThat(info.get("networks").get(2).get("reachable").asBoolean()).isFalse();
    assertThat(rpc.body("getnetworkinfo")).as("amounts with Core's 8 decimals")
        .contains("\"relayfee\":0.00001000").contains("\"incrementalfee\":0.00001000");
    assertThat(info.get("warnings").isArray()).isTrue();
  }

  @Test
  void getnettotalsCountsEveryConnectionClosedOnesIncluded() throws Exception {
    remote.expectPingAnswered();
    long receivedFromPeer = await().atMost(PROMPTLY).until(() -> {
      long peer = rpc.call("getpeerinfo").get(0).get("bytesrecv").asLong();
      return peer == rpc.call("getnettotals").get("totalbytesrecv").asLong() ? peer : -1;
    }, bytes -> bytes > 0);
    assertThat(receivedFromPeer).isPositive();

    remote.close();
    await().atMost(PROMPTLY).until(() -> rpc.call("getconnectioncount").asInt() == 0);

    JsonNode totals = rpc.call("getnettotals");
    assertThat(fieldNames(totals)).containsExactly("totalbytesrecv", "totalbytessent", "timemillis", "uploadtarget");
    assertThat(totals.get("totalbytesrecv").asLong()).isEqualTo(receivedFromPeer);
    assertThat(totals.get("totalbytessent").asLong()).isPositive();
    assertThat(totals.get("timemillis").asLong()).isCloseTo(System.currentTimeMillis(), Offset.offset(60_000L));
    assertThat(fieldNames(totals.get("uploadtarget"))).containsExactly("timeframe", "target", "target_reached",
        "serve_historical_blocks", "bytes_left_in_cycle", "time_left_in_cycle");
  }

  @Test
  void pingSendsEveryPeerAPingWithoutWaitingForTheInterval() throws Exception {
    Message.Ping first = remote.expect(Message.Ping.class);
    remote.send(new Message.Pong(first.nonce()));

    assertThat(rpc.call("ping").isNull()).isTrue();

    Message.Ping asked = remote.expect(Message.Ping.class); // the interval is 2 minutes; this waits 5 s at most
    assertThat(asked.nonce()).isNotEqualTo(first.nonce());
  }

  @Test
  void getrpcinfoListsItselfAmongTheRunningCommands() throws Exception {
    JsonNode info = rpc.call("getrpcinfo");

    assertThat(info.get("active_commands")).extracting(c -> c.get("method").asText()).containsExactly("getrpcinfo");
    assertThat(info.get("active_commands").get(0).get("duration").asLong()).isNotNegative();
    assertThat(info.get("logpath").asText()).as("logback logs to the console only").isEmpty();
    assertThat(rpc.call("uptime").asLong()).isNotNegative();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
