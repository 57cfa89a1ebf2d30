package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.peer.ConnectionKind;
import io.peerd.testing.ListeningPeers;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's anchors and feelers over real sockets. A node that shuts down with two block-relay-only
 * peers dials exactly those first at its next start, as block-relay-only again, and the anchor
 * file is gone. With every outbound slot taken, it feels out an address not yet tried: it closes
 * that connection once the address answered with its version. Its candidate peers are
 * {@link ListeningPeers}, one per network group, since it takes one outbound peer per group.
 */
class AnchorsTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  /** 8 full-relay and 2 block-relay-only, one new dial of each kind per one-second tick. */
  private static final int OUTBOUND_SLOTS = 10;

  @TempDir
  Path dir;

  private NodeConfig config(long feelerIntervalMillis) {
    return TestNodes.regtest(dir).withServer(ServerConfig.defaults(null, List.of(), false)
        .withDiscovery(ServerConfig.Discovery.NONE.withFeelerIntervalMillis(feelerIntervalMillis)));
  }

  @Test
  void theBlockRelayPeersOfTheLastRunAreDialedFirstAsBlockRelay() throws Exception {
    NodeConfig config = config(ServerConfig.Discovery.NONE.feelerIntervalMillis());
    Path anchorFile = config.networkDirectory().resolve("anchors.dat");
    try (ListeningPeers peers = new ListeningPeers(11, OUTBOUND_SLOTS)) {
      Set<InetSocketAddress> anchors;
      try (Node node = TestNodes.start(config)) {
        addAll(node, peers.addresses());
        anchors = await("two block-relay-only peers").atMost(BOUND)
            .until(() -> blockRelayPeers(node), connected -> connected.size() == 2);
      }
      assertThat(anchorFile).exists();

      try (Node restarted = TestNodes.start(config)) {
        assertThat(await("the anchors dialed again").atMost(BOUND)
            .until(() -> blockRelayPeers(restarted), connected -> connected.size() == 2)).isEqualTo(anchors);
        assertThat(anchorFile).doesNotExist();
      }
    }
  }

  /**
   * Spare addresses beyond the slots: all of them come from one source on loopback, so a few may
   * share a slot of the new table and be forgotten; four spares leave some known.
   */
  @Test
  void withEveryOutboundSlotTakenAnUntriedAddressIsFeltOut() throws Exception {
    try (ListeningPeers peers = new ListeningPeers(31, OUTBOUND_SLOTS + 4);
        Node node = TestNodes.start(config(100))) {
      addAll(node, peers.addresses());
      await("every slot taken").atMost(BOUND).until(() -> outboundPeers(node).size() == OUTBOUND_SLOTS);
      Set<InetSocketAddress> slotPeers = outboundPeers(node);
      List<InetSocketAddress> spares = peers.addresses().stream().filter(a -> !slotPeers.contains(a)).toList();

      await("a feeler to a spare address").atMost(BOUND)
          .until(() -> spares.stream().anyMatch(spare -> peers.closedInHandshake(spare) > 0));
      assertThat(outboundPeers(node)).isEqualTo(slotPeers);
      assertThat(slotPeers).allMatch(peer -> peers.closedInHandshake(peer) == 0);
    }
  }

  private static void addAll(Node node, List<InetSocketAddress> addresses) throws Exception {
    NodeRpcClient rpc = NodeRpcClient.of(node);
    for (InetSocketAddress address : addresses) {
      rpc.call("addpeeraddress", address.getAddress().getHostAddress(), address.getPort());
    }
  }

  private static Set<InetSocketAddress> blockRelayPeers(Node node) {
    return node.server().state().activePeers().stream().filter(p -> p.kind() == ConnectionKind.OUTBOUND_BLOCK_RELAY)
        .map(ServerState.PeerEntry::identity).collect(Collectors.toSet());
  }

  private static Set<InetSocketAddress> outboundPeers(Node node) {
    return node.server().state().activePeers().stream()
        .filter(p -> p.kind() == ConnectionKind.OUTBOUND_FULL || p.kind() == ConnectionKind.OUTBOUND_BLOCK_RELAY)
        .map(ServerState.PeerEntry::identity).collect(Collectors.toSet());
  }
}
