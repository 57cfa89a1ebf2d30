package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.rpc.RpcServer;
import io.peerd.chain.NetworkParameters;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** help, uptime, getrpcinfo, logging and getmemoryinfo, as Core answers them, without a node. */
class ControlRpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> REGISTERED = Set.of("getblockcount", "getblock", "help", "ping", "stop",
      "addpeeraddress", "generatetoaddress");

  private final ControlRpc rpc = new ControlRpc(() -> REGISTERED,
      () -> List.of(new RpcServer.ActiveCommand("getrpcinfo", 42)), () -> 3_600);

  /** Back to the test configuration's levels, inherited from the root, for the tests that follow. */
  @AfterEach
  void loggingBackToDefaults() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogCategories.PACKAGES.values().forEach(packages -> packages.forEach(
        name -> context.getLogger("io.peerd." + name).setLevel(null)));
  }

  @Test
  void helpListsTheRegisteredMethodsByCategoryAsCore() throws Exception {
    assertThat(call("help").asText()).isEqualTo("""
        == Blockchain ==
        getblock "blockhash" ( verbosity )
        getblockcount

        == Control ==
        help ( "command" )
        stop

        == Generating ==
        generatetoaddress nblocks "address" ( maxtries )

        == Network ==
        ping""");
  }

  @Test
  void helpForOneMethodGivesItsSignatureAndTextAndAnUnknownOneIsNamed() throws Exception {
    assertThat(call("help", "getblock").asText()).startsWith("getblock \"blockhash\" ( verbosity )\n\nIf verbosity is 0")
        .contains("Arguments:\n1. blockhash");
    assertThat(call("help", "addpeeraddress").asText()).as("hidden from the list, not from help")
        .startsWith("addpeeraddress \"address\" port ( tried )");
    assertThat(call("help", "getchaintips").asText()).as("not registered here").isEqualTo("help: unknown command: getchaintips");
    assertThat(call("help", "nosuch").asText()).isEqualTo("help: unknown command: nosuch");
  }

  @Test
  void everyMethodANodeServesHasHelpAndNothingElseDoes() {
    // Registering reads only the network; a call would reach the node through the rest.
    NodeControl regtest = (NodeControl) Proxy.newProxyInstance(NodeControl.class.getClassLoader(),
        new Class<?>[] {NodeControl.class}, (proxy, method, args) -> {
          if (method.getName().equals("params")) {
            return NetworkParameters.REGTEST;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    Set<String> served = new NodeRpc(regtest).methods().keySet();
    assertThat(RpcHelp.methods()).containsExactlyInAnyOrderElementsOf(served);
  }

  @Test
  void uptimeAndRpcInfoAsCoreShapesThem() throws Exception {
    assertThat(call("uptime").asLong()).isEqualTo(3_600);
    JsonNode info = call("getrpcinfo");
    assertThat(info.toString())
        .isEqualTo("{\"active_commands\":[{\"method\":\"getrpcinfo\",\"duration\":42}],\"logpath\":\"\"}");
  }

  @Test
  void loggingListsCoresCategoriesAndTurnsThemOnAndOff() throws Exception {
    assertThat(fieldNames(call("logging"))).containsExactly("addrman", "blockstorage", "net", "rpc", "validation");
    JsonNode before = call("logging", List.of(), List.of("all")); // whatever PEERD_LOG_LEVEL says
    assertThat(before).noneMatch(JsonNode::asBoolean);

    JsonNode after = call("logging", List.of("net", "validation"), List.of("rpc"));

    assertThat(after.get("net").asBoolean()).isTrue();
    assertThat(after.get("validation").asBoolean()).isTrue();
    assertThat(after.get("rpc").asBoolean()).isFalse();
    assertThat(LoggerFactory.getLogger("io.peerd.sync.SyncManager").isDebugEnabled()).as("sync logs as net").isTrue();
    assertThat(LoggerFactory.getLogger("io.peerd.chain.Chain").isDebugEnabled()).isTrue();
    assertThat(call("logging", List.of(), List.of("net")).get("net").asBoolean()).isFalse();
    assertThat(LoggerFactory.getLogger("io.peerd.peer.Peer").isDebugEnabled()).isFalse();
    assertThat(call("logging", List.of("all"))).allMatch(JsonNode::asBoolean);
  }

  @Test
  void anUnknownLoggingCategoryIsRefusedBeforeAnythingChanges() throws Exception {
    call("logging", List.of(), List.of("all"));
    assertRefused(RpcErrorCode.RPC_INVALID_PARAMETER, "logging", List.of("net", "nosuch"));
    assertThat(LoggerFactory.getLogger("io.peerd.peer.Peer").isDebugEnabled()).isFalse();
    assertRefused(RpcErrorCode.RPC_TYPE_ERROR, "logging", "net");
  }

  @Test
  void getmemoryinfoReportsTheHeapInCoresLockedObject() throws Exception {
    JsonNode locked = call("getmemoryinfo").get("locked");
    assertThat(fieldNames(locked)).containsExactly("used", "free", "total", "locked", "chunks_used", "chunks_free");
    assertThat(locked.get("used").asLong() + locked.get("free").asLong()).isEqualTo(locked.get("total").asLong());
    assertThat(locked.get("used").asLong()).isPositive();
    assertThat(call("getmemoryinfo", "stats").has("locked")).isTrue();
    assertRefused(RpcErrorCode.RPC_INVALID_PARAMETER, "getmemoryinfo", "mallocinfo");
    assertRefused(RpcErrorCode.RPC_INVALID_PARAMETER, "getmemoryinfo", "other");
  }

  private JsonNode call(String method, Object... params) throws Exception {
    return JSON.valueToTree(rpc.methods().get(method).call(JSON.valueToTree(List.of(params))));
  }

  private void assertRefused(int code, String method, Object... params) {
    assertThatThrownBy(() -> call(method, params)).as(method + List.of(params))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
