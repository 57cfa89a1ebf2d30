package io.peerd.node;

import static io.peerd.testing.TestNodes.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.banman.Whitelist;
import io.peerd.chain.NetworkParameters;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.server.Server;
import io.peerd.server.ServerConfig;
import io.peerd.testing.LogGate;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.MessageCodec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bans and discouragement over real sockets and RPC, as Core has them: setban refuses a subnet
 * until its time and disconnects it, listbanned and clearbanned, both kept across a restart; a
 * misbehaving local peer is disconnected but not discouraged by default; a whitelisted noban peer
 * is never held back. Peers come from different loopback addresses (127.0.0.N).
 */
class BanRpcTest {
  @TempDir
  Path dir;

  @Test
  void setbanRefusesAndDisconnectsTheSubnetUntilRemovedWithCoresErrors() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir)); RawPeer banned = RawPeer.connectFrom(ip(2), node)) {
      NodeRpcClient rpc = NodeRpcClient.of(node);
      banned.handshake();
      awaitActive(node, banned.localAddress());
      long before = System.currentTimeMillis() / 1000;

      rpc.call("setban", "127.0.0.2", "add", 3_600);
      banned.awaitClosed();
      assertRefused(node, ip(2));
      JsonNode ban = rpc.call("listbanned").get(0);
      assertThat(ban.path("address").asText()).isEqualTo("127.0.0.2/32");
      assertThat(ban.path("ban_duration").asLong()).isEqualTo(3_600);
      assertThat(ban.path("banned_until").asLong()).isBetween(before + 3_600, before + 3_602);
      assertThat(rpc.error("setban", "127.0.0.2/32", "add").path("code").asInt())
          .isEqualTo(RpcErrorCode.RPC_CLIENT_NODE_ALREADY_ADDED);
      assertThat(rpc.error("setban", "localhost", "add").path("code").asInt())
          .isEqualTo(RpcErrorCode.RPC_CLIENT_INVALID_IP_OR_SUBNET);

      rpc.call("setban", "127.0.0.2", "remove");
      assertThat(rpc.call("listbanned")).isEmpty();
      assertAdmitted(node, ip(2));
      assertThat(rpc.error("setban", "127.0.0.2", "remove").path("code").asInt())
          .isEqualTo(RpcErrorCode.RPC_CLIENT_INVALID_IP_OR_SUBNET);
    }
  }

  @Test
  void bansAndDiscouragementOutliveARestartAndClearbannedLiftsBoth() throws Exception {
    NodeConfig config = TestNodes.regtest(dir).withServer(ServerConfig.defaults(null, List.of(), false)
        .withMaxInbound(1).withDiscourageLocalPeers(true));
    try (Node node = TestNodes.start(config)) {
      NodeRpcClient.of(node).call("setban", "127.0.0.0/30", "add", 3_600);
      misbehaveFrom(ip(5), node);
    }
    try (Node restarted = TestNodes.start(config)) {
      NodeRpcClient rpc = NodeRpcClient.of(restarted);
      assertThat(rpc.call("listbanned").get(0).path("address").asText()).isEqualTo("127.0.0.0/30");
      assertRefused(restarted, ip(2));
      assertRefused(restarted, ip(5)); // discouraged, and the one slot would be the last

      rpc.call("clearbanned");
      assertThat(rpc.call("listbanned")).isEmpty();
      assertAdmitted(restarted, ip(5));
    }
  }

  /** Core's rule: on one machine 127.0.0.1 is every local process, so it is disconnected, not discouraged. */
  @Test
  void aMisbehavingLocalPeerIsDisconnectedButNotDiscouragedByDefault() throws Exception {
    try (LogGate log = LogGate.record(Server.class);
        Node node = TestNodes.start(TestNodes.regtest(dir).withServer(ServerConfig.defaults(null, List.of(), false)
            .withMaxInbound(1)))) {
      misbehaveFrom(ip(1), node);
      assertAdmitted(node, ip(1));
      assertThat(log.messages(Level.INFO)).anyMatch(m -> m.startsWith("not discouraging 127.0.0.1, a local peer"));
    }
  }

  @Test
  void aNobanPeerIsNeitherDiscouragedNorBanned() throws Exception {
    NodeConfig config = TestNodes.regtest(dir).withServer(ServerConfig.defaults(null, List.of(), false)
        .withMaxInbound(1).withDiscourageLocalPeers(true).withWhitelist(Whitelist.parse(List.of("noban@127.0.0.7"))));
    try (Node node = TestNodes.start(config)) {
      NodeRpcClient.of(node).call("setban", "127.0.0.0/24", "add");
      misbehaveFrom(ip(7), node);
      assertAdmitted(node, ip(7));
      assertRefused(node, ip(8));
    }
  }

  /** A frame with another network's magic: a deliberate protocol violation. */
  private static void misbehaveFrom(InetAddress local, Node node) throws Exception {
    try (RawPeer peer = RawPeer.connectFrom(local, node)) {
      peer.sendRaw(MessageCodec.encode(NetworkParameters.TESTNET3.magic(),
          peer.version(RawPeer.VersionFields.defaults())));
      assertThat(peer.awaitClosed()).isEmpty();
    }
  }

  private static void assertRefused(Node node, InetAddress local) throws Exception {
    try (RawPeer refused = RawPeer.connectFrom(local, node)) {
      assertThat(refused.awaitClosed()).as("closed before any handshake").isEmpty();
    }
  }

  private static void assertAdmitted(Node node, InetAddress local) throws Exception {
    try (RawPeer admitted = RawPeer.connectFrom(local, node)) {
      admitted.handshake();
      admitted.expectPingAnswered();
    }
  }

  private static InetAddress ip(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
  }
}
