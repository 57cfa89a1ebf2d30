package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.ha.HaConfig;
import io.peerd.produce.ProductionConfig;
import io.peerd.testing.Closer;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004 at the node: a producing node publishes from a fresh chain with no peer at all, and an
 * HA group of three nodes has one leader, one chain, and goes on without its leader; gethainfo
 * says who is who.
 */
class BlockProductionTest {
  private static final long INTERVAL_MILLIS = 50;
  private static final Duration WITHIN = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void aProducingNodeMinesFromAnEmptyChainWithNoPeer() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir)
        .withProduction(new ProductionConfig(INTERVAL_MILLIS, TestNodes.regtestScript(), null)))) {
      await().atMost(WITHIN).until(() -> node.snapshot().tip().height() >= 3);
      assertThat(NodeRpcClient.of(node).error("gethainfo").path("code").asInt()).isEqualTo(-1);
    }
  }

  @Test
  void anHaGroupHasOneLeaderAndOneChainAndGoesOnWithoutItsLeader() throws Exception {
    List<HaConfig.Member> members = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      members.add(new HaConfig.Member(id, new InetSocketAddress("127.0.0.1", TestNodes.freePort())));
    }
    try (Closer closer = new Closer()) {
      List<Node> nodes = new ArrayList<>();
      for (HaConfig.Member member : members) {
        HaConfig ha = new HaConfig(member.id(), members, dir.resolve(member.id()).resolve("raft"),
            HaConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS);
        nodes.add(closer.later(TestNodes.start(TestNodes.regtest(dir.resolve(member.id()))
            .withProduction(new ProductionConfig(INTERVAL_MILLIS, TestNodes.regtestScript(), ha)))));
      }
      await().atMost(WITHIN).until(() -> nodes.stream().allMatch(n -> n.snapshot().tip().height() >= 3)
          && nodes.stream().filter(n -> role(n).equals("leader")).count() == 1);

      Node leader = nodes.stream().filter(n -> role(n).equals("leader")).findFirst().orElseThrow();
      JsonNode info = haInfo(leader);
      assertThat(info.path("peers")).hasSize(3);
      assertThat(info.path("last_produced_height").asInt()).isPositive();
      for (Node node : nodes) {
        assertThat(haInfo(node).path("leader").asText()).isEqualTo(info.path("leader").asText());
      }
      assertOneChain(nodes);
      assertThat(NodeRpcClient.of(leader).error("generatetoaddress", 1, TestNodes.REGTEST_ADDRESS).path("message")
          .asText()).as("no block around the log").contains("only through the group's log");

      leader.close();
      nodes.remove(leader);
      int heightAtLoss = nodes.stream().mapToInt(n -> n.snapshot().tip().height()).max().orElseThrow();
      await().atMost(WITHIN).until(() -> nodes.stream().allMatch(n -> n.snapshot().tip().height() >= heightAtLoss + 3));
      assertThat(nodes.stream().filter(n -> role(n).equals("leader"))).hasSize(1);
      assertOneChain(nodes);
    }
  }

  private static void assertOneChain(List<Node> nodes) {
    int common = nodes.stream().mapToInt(n -> n.snapshot().tip().height()).min().orElseThrow();
    for (int height = 1; height <= common; height++) {
      int h = height;
      assertThat(nodes.stream().map(n -> n.chainView().onTipChain(h).orElseThrow().hash()).distinct())
          .as("height " + h).hasSize(1);
    }
  }

  private static String role(Node node) {
    try {
      return haInfo(node).path("role").asText();
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static JsonNode haInfo(Node node) throws Exception {
    return NodeRpcClient.of(node).call("gethainfo");
  }
}
