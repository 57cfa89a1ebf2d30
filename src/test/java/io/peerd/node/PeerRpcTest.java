package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.ConnectionKind;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.server.RequestRefused;
import io.peerd.server.ServerState;
import io.peerd.testing.FakePeer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The peers' RPC methods' argument rules and results against a fake server, without a node. */
class PeerRpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_PORT = 18444;
  private static final InetSocketAddress ADDED = new InetSocketAddress("127.0.0.1", 18445);
  private static final InetSocketAddress ADDED_ELSEWHERE = new InetSocketAddress("127.0.0.2", 18445);

  private final FakePeerControl server = new FakePeerControl();

  @Test
  void whileTheNodeStartsEveryPeerMethodIsInWarmup() {
    PeerRpc starting = new PeerRpc(Optional::empty, DEFAULT_PORT);
    assertRefused(starting, RpcErrorCode.RPC_IN_WARMUP, "getpeerinfo");
    assertRefused(starting, RpcErrorCode.RPC_IN_WARMUP, "getconnectioncount");
    assertRefused(starting, RpcErrorCode.RPC_IN_WARMUP, "addnode", "127.0.0.1", "add");
    assertRefused(starting, RpcErrorCode.RPC_IN_WARMUP, "disconnectnode", "", 1);
    assertRefused(starting, RpcErrorCode.RPC_IN_WARMUP, "getaddednodeinfo");
  }

  @Test
  void disconnectnodeTakesAnAddressAloneOrANodeIdWithNoOrAnEmptyAddress() throws Exception {
    assertThat(call("disconnectnode", "127.0.0.1").isNull()).isTrue();
    call("disconnectnode", "", 7);
    assertThat(callNamed("disconnectnode", Map.of("nodeid", 8)).isNull()).isTrue();

    assertThat(server.requests).containsExactly("disconnect 127.0.0.1:18444 -1", "disconnect - 7", "disconnect - 8");
  }

  @Test
  void disconnectnodeRefusesBothOrNeitherAndAnAddressThatNamesNothing() {
    assertRefused(rpc(), RpcErrorCode.RPC_INVALID_PARAMS, "disconnectnode", "127.0.0.1", 7);
    assertRefused(rpc(), RpcErrorCode.RPC_INVALID_PARAMS, "disconnectnode");
    assertRefused(rpc(), RpcErrorCode.RPC_CLIENT_NODE_NOT_CONNECTED, "disconnectnode", "221B Baker Street");
    assertRefused(rpc(), RpcErrorCode.RPC_TYPE_ERROR, "disconnectnode", "", "7");
    assertThat(server.requests).isEmpty();
  }

  @Test
  void aRefusalFromTheServerIsAnsweredWithItsCode() {
    server.answer = CompletableFuture.failedFuture(RequestRefused.nodeNotConnected());

    assertRefused(rpc(), RpcErrorCode.RPC_CLIENT_NODE_NOT_CONNECTED, "disconnectnode", "", 7);
  }

  @Test
  void addnodeTakesCoresThreeCommands() throws Exception {
    call("addnode", "127.0.0.1:18445", "add");
    call("addnode", "127.0.0.1", "onetry");
    call("addnode", "127.0.0.1:18445", "remove");
    assertRefused(rpc(), RpcErrorCode.RPC_INVALID_PARAMETER, "addnode", "127.0.0.1", "connect");
    assertRefused(rpc(), RpcErrorCode.RPC_CLIENT_INVALID_IP_OR_SUBNET, "addnode", "127.0.0.1:x", "add");

    assertThat(server.requests).containsExactly("ADD 127.0.0.1:18445", "ONETRY 127.0.0.1:18444",
        "REMOVE 127.0.0.1:18445");
  }

  @Test
  void getaddednodeinfoShowsEachWorkerAndWhichWayItsPeerIsConnected() throws Exception {
    InetSocketAddress other = new InetSocketAddress("127.0.0.3", 18445);
    server.added = List.of(
        new ConnectionWorker.Info(ADDED, List.of(ADDED, ADDED_ELSEWHERE), ConnectionWorker.Phase.IDLE, 0, 0),
        new ConnectionWorker.Info(other, List.of(other), ConnectionWorker.Phase.WAITING, 2_000, 1_760_000_000_500L));
    FakePeer inbound = new FakePeer(1, null, Thread.ofVirtual().factory());
    server.active = List.of(new ServerState.PeerEntry(inbound, ConnectionKind.INBOUND, ADDED_ELSEWHERE, true));

    JsonNode info = call("getaddednodeinfo");

    assertThat(info.toString()).as("as JSON text: int and long numbers are equal there").isEqualTo(JSON.readTree("""
        [{"addednode": "127.0.0.1:18445", "connected": true,
          "addresses": [{"address": "127.0.0.1:18445", "connected": "false"},
                        {"address": "127.0.0.2:18445", "connected": "inbound"}],
          "state": "idle", "backoff_ms": 0},
         {"addednode": "127.0.0.3:18445", "connected": false,
          "addresses": [{"address": "127.0.0.3:18445", "connected": "false"}],
          "state": "waiting", "backoff_ms": 2000, "next_attempt_time": 1760000000}]""").toString());
    assertThat(call("getaddednodeinfo", "127.0.0.3:18445")).hasSize(1);
    assertRefused(rpc(), RpcErrorCode.RPC_CLIENT_NODE_NOT_ADDED, "getaddednodeinfo", "127.0.0.4:18445");
  }

  @Test
  void getconnectioncountCountsTheActivePeers() throws Exception {
    FakePeer peer = new FakePeer(1, null, Thread.ofVirtual().factory());
    server.active = List.of(new ServerState.PeerEntry(peer, ConnectionKind.INBOUND, null, true));

    assertThat(call("getconnectioncount").asInt()).isEqualTo(1);
  }

  private PeerRpc rpc() {
    return new PeerRpc(() -> Optional.of(server), DEFAULT_PORT);
  }

  private JsonNode call(String method, Object... params) throws Exception {
    return call(rpc(), method, JSON.valueToTree(List.of(params)));
  }

  private JsonNode callNamed(String method, Map<String, Object> params) throws Exception {
    return call(rpc(), method, JSON.valueToTree(params));
  }

  private static JsonNode call(PeerRpc rpc, String method, JsonNode params) throws Exception {
    return JSON.valueToTree(rpc.methods().get(method).call(params));
  }

  private static void assertRefused(PeerRpc rpc, int code, String method, Object... params) {
    assertThatThrownBy(() -> call(rpc, method, JSON.valueToTree(List.of(params)))).as(method + List.of(params))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
