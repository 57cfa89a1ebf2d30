package io.peerd.node;

import static io.peerd.testing.TestNodes.PROMPTLY;
import static io.peerd.testing.TestNodes.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerd.chain.NetworkParameters;
import io.peerd.peer.PeerConfig;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestChains;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import io.peerd.wire.NetworkAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * getpeerinfo and disconnectnode over real HTTP and a real P2P socket, as Bitcoin Core answers
 * them: a raw peer connects, handshakes, sends headers, is asked for the blocks, answers a ping,
 * and every field Core documents comes back with the value that exchange implies.
 */
class NodePeerRpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAGIC = NetworkParameters.REGTEST.magic();
  private static final int BLOCKS = 3;
  /** How far ahead the raw peer's clock claims to be, to see timeoffset's sign. */
  private static final long CLOCK_AHEAD_SECONDS = 3_600;
  private static final long FEE_FILTER_SATOSHIS_PER_KB = 1_000;
  /** Every field Core's getpeerinfo has that peerd fills, plus peerd's own misbehavior_score. */
  private static final Set<String> ALWAYS = Set.of("id", "addr", "addrbind", "addrlocal", "network", "services",
      "servicesnames", "relaytxes", "lastsend", "lastrecv", "last_transaction", "last_block", "bytessent",
      "bytesrecv", "conntime", "timeoffset", "version", "subver", "inbound", "bip152_hb_to", "bip152_hb_from",
      "startingheight", "presynced_headers", "synced_headers", "synced_blocks", "inflight", "addr_relay_enabled",
      "addr_processed", "addr_rate_limited", "permissions", "minfeefilter", "bytessent_per_msg", "bytesrecv_per_msg",
      "connection_type", "transport_protocol_type", "session_id", "misbehavior_score");

  @TempDir
  Path dir;
  @AutoClose
  private Node node;
  @AutoClose
  private RawPeer remote;
  private NodeRpcClient rpc;
  /** What the raw peer sent, in bytes per command, frame headers included (as Core counts). */
  private final Map<String, Long> sentByRemote = new LinkedHashMap<>();

  @BeforeEach
  void startNode() throws Exception {
    node = TestNodes.start(TestNodes.regtest(dir));
    rpc = NodeRpcClient.of(node);
  }

  @Test
  void getpeerinfoHasCoresFieldsWithTheValuesTheExchangeImplies() throws Exception {
    long beforeSeconds = nowSeconds();
    List<Block> blocks = TestChains.mine(BLOCKS);
    Message.Version nodeVersion = connectAheadOfTime();
    send(new Message.FeeFilter(FEE_FILTER_SATOSHIS_PER_KB));
    send(new Message.Addr(List.of(timed(TestNodes.unusedLoopbackAddress()), timed(TestNodes.unusedLoopbackAddress()))));
    send(new Message.Headers(blocks.stream().map(Block::header).toList()));
    long pingNonce = awaitGetDataAndPing();

    JsonNode waiting = awaitPeerInfo(info -> info.path("inflight").size() == BLOCKS);
    assertThat(fieldNames(waiting)).containsAll(ALWAYS).contains("pingwait");
    assertThat(waiting.path("pingwait").asDouble()).isPositive();
    assertThat(waiting.has("pingtime")).as("no pong yet").isFalse();
    assertThat(waiting.path("inflight")).isEqualTo(JSON.valueToTree(List.of(1, 2, 3)));
    assertThat(waiting.path("synced_headers").asInt()).isEqualTo(BLOCKS);
    assertThat(waiting.path("synced_blocks").asInt()).isZero();

    send(new Message.Pong(pingNonce));
    for (Block block : blocks) {
      send(new Message.BlockMessage(block));
    }
    JsonNode info = awaitPeerInfo(i -> i.path("inflight").isEmpty() && i.path("synced_blocks").asInt() == BLOCKS
        && i.has("pingtime") && i.path("bytesrecv").asLong() == total(sentByRemote));

    List<String> fields = new ArrayList<>(ALWAYS);
    fields.addAll(List.of("pingtime", "minping"));
    assertThat(fieldNames(info)).containsExactlyInAnyOrderElementsOf(fields);
    assertWhoAndWhere(info);
    assertTimes(info, beforeSeconds);
    assertBytes(info, nodeVersion);
    assertRelay(info);
    assertWhatPeerdDoesNotDo(info);
  }

  private void assertWhoAndWhere(JsonNode info) {
    assertThat(info.path("addr").asText()).isEqualTo(HostPort.format(remote.localAddress()));
    assertThat(info.path("addrbind").asText()).isEqualTo(HostPort.format(node.p2pAddress()));
    assertThat(info.path("addrlocal").asText()).as("our address as the peer's version gave it")
        .isEqualTo(HostPort.format(node.p2pAddress()));
    assertThat(info.path("network").asText()).as("Core's name for loopback").isEqualTo("not_publicly_routable");
    assertThat(info.path("services").asText()).isEqualTo("0000000000000009");
    assertThat(info.path("servicesnames")).isEqualTo(JSON.valueToTree(List.of("NETWORK", "WITNESS")));
    assertThat(info.path("version").asInt()).isEqualTo(PeerConfig.PROTOCOL_VERSION);
    assertThat(info.path("subver").asText()).isEqualTo("/rawpeer:0.1/");
    assertThat(info.path("inbound").asBoolean()).isTrue();
    assertThat(info.path("connection_type").asText()).isEqualTo("inbound");
    assertThat(info.path("startingheight").asInt()).isEqualTo(BLOCKS);
  }

  private static void assertTimes(JsonNode info, long beforeSeconds) {
    long conntime = info.path("conntime").asLong();
    assertThat(conntime).isBetween(beforeSeconds, nowSeconds());
    assertThat(info.path("lastrecv").asLong()).isBetween(conntime, nowSeconds());
    assertThat(info.path("lastsend").asLong()).isBetween(conntime, nowSeconds());
    assertThat(info.path("timeoffset").asLong()).isBetween(CLOCK_AHEAD_SECONDS - 2, CLOCK_AHEAD_SECONDS + 2);
    assertThat(info.path("pingtime").asDouble()).isPositive().isLessThan(PROMPTLY.toSeconds());
    assertThat(info.path("minping").asDouble()).isPositive().isLessThanOrEqualTo(info.path("pingtime").asDouble());
    assertThat(info.path("last_block").asLong()).as("it delivered blocks new to us").isBetween(conntime, nowSeconds());
  }

  /** Received: exactly what the peer sent; sent: what the node asked and answered, never the peer's part. */
  private void assertBytes(JsonNode info, Message.Version nodeVersion) {
    assertThat(bytesByCommand(info.path("bytesrecv_per_msg"))).isEqualTo(sentByRemote);
    Map<String, Long> sentByNode = bytesByCommand(info.path("bytessent_per_msg"));
    assertThat(sentByNode.get("version")).isEqualTo(MessageCodec.encode(MAGIC, nodeVersion).length);
    assertThat(sentByNode).as("our own address announced in an addr")
        .containsKeys("verack", "sendheaders", "addr", "getheaders", "getdata", "ping")
        .doesNotContainKeys("block", "headers", "pong", "feefilter");
    assertThat(info.path("bytessent").asLong()).isEqualTo(total(sentByNode));
  }

  private void assertRelay(JsonNode info) throws Exception {
    assertThat(info.path("addr_relay_enabled").asBoolean()).isTrue();
    assertThat(info.path("addr_processed").asInt()).as("an inbound peer starts with one token").isOne();
    assertThat(info.path("addr_rate_limited").asInt()).isOne();
    assertThat(rpc.body("getpeerinfo")).as("an amount as Core writes it").contains("\"minfeefilter\":0.00001000,");
  }

  private static void assertWhatPeerdDoesNotDo(JsonNode info) {
    assertThat(info.path("relaytxes").asBoolean()).as("no mempool, no transactions relayed").isFalse();
    assertThat(info.path("last_transaction").asLong()).isZero();
    assertThat(info.path("bip152_hb_to").asBoolean()).isFalse();
    assertThat(info.path("bip152_hb_from").asBoolean()).isFalse();
    assertThat(info.path("presynced_headers").asInt()).isEqualTo(-1);
    assertThat(info.path("permissions")).isEmpty();
    assertThat(info.path("transport_protocol_type").asText()).isEqualTo("v1");
    assertThat(info.path("session_id").asText()).isEmpty();
  }

  @Test
  void disconnectnodeTakesAnEmptyAddressAndANodeIdAsCoreDoes() throws Exception {
    long id = connectHandshaked();

    assertError(rpc.error("disconnectnode", "x", id), RpcErrorCode.RPC_INVALID_PARAMS,
        "Only one of address and nodeid should be provided.");
    assertError(rpc.error("disconnectnode"), RpcErrorCode.RPC_INVALID_PARAMS,
        "Only one of address and nodeid should be provided.");
    assertError(rpc.error("disconnectnode", "", id + 1), RpcErrorCode.RPC_CLIENT_NODE_NOT_CONNECTED,
        "Node not found in connected nodes");
    assertError(rpc.error("disconnectnode", "221B Baker Street"), RpcErrorCode.RPC_CLIENT_NODE_NOT_CONNECTED,
        "Node not found in connected nodes");
    assertError(rpc.error("disconnectnode", "", "1"), RpcErrorCode.RPC_TYPE_ERROR, "Wrong type passed");

    assertThat(rpc.call("disconnectnode", "", id).isNull()).isTrue();
    remote.awaitClosed();
  }

  @Test
  void disconnectnodeTakesTheNamedNodeIdAlone() throws Exception {
    long id = connectHandshaked();

    assertThat(rpc.callNamed("disconnectnode", Map.of("nodeid", id)).isNull()).isTrue();
    remote.awaitClosed();
  }

  @Test
  void disconnectnodeTakesTheAddressAlone() throws Exception {
    connectHandshaked();

    assertThat(rpc.call("disconnectnode", HostPort.format(remote.localAddress())).isNull()).isTrue();
    remote.awaitClosed();
  }

  /** Connects the raw peer and completes the inbound handshake; returns its getpeerinfo id. */
  private long connectHandshaked() throws Exception {
    remote = RawPeer.connect(node);
    remote.handshake();
    awaitActive(node, remote.localAddress());
    return onlyPeer().path("id").asLong();
  }

  /**
   * The inbound handshake with a version whose clock is {@link #CLOCK_AHEAD_SECONDS} ahead, from
   * a full node at height {@link #BLOCKS}. Returns the node's version.
   */
  private Message.Version connectAheadOfTime() throws Exception {
    remote = RawPeer.connect(node);
    Message.Version honest = remote.version(RawPeer.VersionFields.defaults().withStartHeight(BLOCKS));
    long aheadSeconds = honest.timestampSeconds() + CLOCK_AHEAD_SECONDS;
    send(new Message.Version(honest.protocolVersion(), honest.services(), aheadSeconds, honest.receiver(),
        honest.sender(), honest.nonce(), honest.userAgent(), honest.startHeight(), honest.relay(), honest.relayPresent()));
    Message.Version theirs = remote.expect(Message.Version.class);
    remote.expectVerack();
    send(new Message.Verack());
    awaitActive(node, remote.localAddress());
    return theirs;
  }

  /**
   * Reads until the node has asked for the blocks and sent its first ping (due at its first
   * liveness check after the handshake, in either order); returns the ping's nonce.
   */
  private long awaitGetDataAndPing() throws Exception {
    Long nonce = null;
    boolean askedForBlocks = false;
    while (nonce == null || !askedForBlocks) {
      switch (remote.next()) {
        case Message.Ping ping -> nonce = ping.nonce();
        case Message.GetData inv -> askedForBlocks = true;
        default -> { }
      }
    }
    return nonce;
  }

  private void send(Message message) throws Exception {
    remote.send(message);
    sentByRemote.merge(message.command(), (long) MessageCodec.encode(MAGIC, message).length, Long::sum);
  }

  private static Message.TimedAddress timed(InetSocketAddress address) {
    return new Message.TimedAddress(nowSeconds(), NetworkAddress.of(address, 0));
  }

  private JsonNode awaitPeerInfo(Predicate<JsonNode> wanted) {
    return await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(20)).until(this::onlyPeer, wanted);
  }

  private JsonNode onlyPeer() throws Exception {
    JsonNode peers = rpc.call("getpeerinfo");
    assertThat(peers).hasSize(1);
    return peers.get(0);
  }

  private static void assertError(JsonNode error, int code, String messageStart) {
    assertThat(error.path("code").asInt()).as(error.toString()).isEqualTo(code);
    assertThat(error.path("message").asText()).startsWith(messageStart);
  }

  private static long total(Map<String, Long> bytesByCommand) {
    return bytesByCommand.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<String, Long> bytesByCommand(JsonNode perMessage) {
    return JSON.convertValue(perMessage, new TypeReference<Map<String, Long>>() {});
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
