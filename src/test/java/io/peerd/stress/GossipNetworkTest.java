package io.peerd.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.peer.ConnectionKind;
import io.peerd.server.ServerConfig;
import io.peerd.server.ServerState;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Hash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's network: {@value #NODES} regtest nodes, each on a /16 of its own (127.N.0.1), that
 * know nothing but one seed node (--seednode), find each other by gossip alone: every node
 * reaches its outbound target (8 full-relay, 2 block-relay-only) in distinct network groups,
 * the network is connected and follows one tip; with 30 % of the nodes killed, the others fill
 * their outbound slots again; a restarted node dials its anchors first. Loopback only.
 */
class GossipNetworkTest {
  static final int NODES = 50;
  static final int OUTBOUND_TARGET = 10;
  private static final Duration CONVERGE = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  private final List<Node> running = new ArrayList<>();

  @AfterEach
  void closeAll() {
    running.forEach(Node::close);
  }

  @Test
  void nodesFromOneSeedFindEachOtherHoldTheirSlotsAndRepairThem() throws Exception {
    Node seed = start(config(200, List.of()));
    InetSocketAddress seedAddress = seed.p2pAddress();
    List<Node> nodes = new ArrayList<>();
    for (int i = 1; i <= NODES; i++) {
      nodes.add(start(config(i, List.of(seedAddress))));
    }

    await("every node at its outbound target").atMost(CONVERGE).pollInterval(Duration.ofMillis(500))
        .until(() -> nodes.stream().allMatch(n -> outbound(n).size() == OUTBOUND_TARGET));
    nodes.forEach(node -> assertThat(groups(outbound(node))).as("one outbound peer per /16").hasSize(OUTBOUND_TARGET));
    assertThat(reachable(seed, running)).as("connected").hasSize(running.size());

    List<Hash> mined = TestNodes.mine(nodes.getFirst(), 3);
    for (Node node : running) {
      TestNodes.awaitTip(node, mined.getLast(), CONVERGE);
    }

    List<Node> killed = new ArrayList<>(nodes.subList(0, NODES * 3 / 10));
    Node restarted = nodes.get(NODES - 1);
    Set<InetSocketAddress> anchorsBefore = blockRelay(restarted);
    for (Node node : killed) {
      node.close();
      running.remove(node);
    }
    List<Node> survivors = new ArrayList<>(nodes.subList(killed.size(), NODES));
    await("survivors at their outbound target again").atMost(CONVERGE).pollInterval(Duration.ofMillis(500))
        .until(() -> survivors.stream().allMatch(n -> outbound(n).size() == OUTBOUND_TARGET));

    Set<InetSocketAddress> anchorsNow = blockRelay(restarted);
    restarted.close();
    running.remove(restarted);
    Node again = start(config(NODES, List.of(seedAddress)));
    assertThat(await("the anchors dialed first").atMost(CONVERGE)
        .until(() -> blockRelay(again), peers -> peers.size() == 2)).as("anchors before the kill %s", anchorsBefore)
        .isEqualTo(anchorsNow);
  }

  private NodeConfig config(int group, List<InetSocketAddress> seedNodes) throws Exception {
    InetAddress ip = InetAddress.getByAddress(new byte[] {127, (byte) group, 0, 1});
    return TestNodes.regtest(dir.resolve("node-" + group))
        .withListen(new InetSocketAddress(ip, 0))
        .withRpc("127.0.0.1", -1, Optional.empty())
        .withServer(ServerConfig.defaults(null, List.of(), false)
            .withDiscovery(ServerConfig.Discovery.NONE.withSeedNodes(seedNodes)));
  }

  private Node start(NodeConfig config) throws Exception {
    Node node = TestNodes.start(config);
    running.add(node);
    return node;
  }

  private static List<ServerState.PeerEntry> outbound(Node node) {
    return node.server().state().activePeers().stream()
        .filter(p -> p.kind() == ConnectionKind.OUTBOUND_FULL || p.kind() == ConnectionKind.OUTBOUND_BLOCK_RELAY)
        .toList();
  }

  private static Set<InetSocketAddress> blockRelay(Node node) {
    Set<InetSocketAddress> peers = new HashSet<>();
    node.server().state().activePeers().stream().filter(p -> p.kind() == ConnectionKind.OUTBOUND_BLOCK_RELAY)
        .forEach(p -> peers.add(p.identity()));
    return peers;
  }

  private static Set<String> groups(List<ServerState.PeerEntry> peers) {
    Set<String> groups = new HashSet<>();
    for (ServerState.PeerEntry peer : peers) {
      byte[] ip = peer.peer().remoteAddress().getAddress().getAddress();
      groups.add(ip[0] + "." + ip[1]);
    }
    return groups;
  }

  /** The nodes reachable from {@code start} over connections in either direction. */
  private static Set<Node> reachable(Node start, List<Node> nodes) {
    Map<InetSocketAddress, Node> byAddress = new HashMap<>();
    nodes.forEach(n -> byAddress.put(n.p2pAddress(), n));
    Map<Node, Set<Node>> edges = new HashMap<>();
    for (Node node : nodes) {
      for (ServerState.PeerEntry peer : outbound(node)) {
        Node other = byAddress.get(peer.identity());
        if (other != null) {
          edges.computeIfAbsent(node, k -> new HashSet<>()).add(other);
          edges.computeIfAbsent(other, k -> new HashSet<>()).add(node);
        }
      }
    }
    Set<Node> seen = new HashSet<>(List.of(start));
    ArrayDeque<Node> queue = new ArrayDeque<>(seen);
    while (!queue.isEmpty()) {
      for (Node next : edges.getOrDefault(queue.poll(), Set.of())) {
        if (seen.add(next)) {
          queue.add(next);
        }
      }
    }
    return seen;
  }
}
