package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.ha.HaConfig;
import io.peerd.produce.ProductionConfig;
import io.peerd.server.ServerConfig;
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

  /**
   * A member down while the others' Raft log is compacted past its position gets the leader's
   * snapshot (a pointer to the tip), takes the blocks up to it from its P2P peers, and goes on
   * from the log after it: one chain on all three.
   */
  @Test
  void aMemberBehindTheCompactedLogCatchesUpFromItsP2pPeers() throws Exception {
    try (Closer closer = new Closer()) {
      List<Node> nodes = new ArrayList<>();
      ReturnAfterCompaction late = compactWithoutOneMember(closer, nodes);
      Node back = closer.later(TestNodes.start(late.config()));
      nodes.add(back);
      int target = nodes.get(0).snapshot().tip().height();
      await().atMost(WITHIN).until(() -> back.snapshot().tip().height() >= target
          && haNumber(back, "applied_index") > late.appliedAtMostIndex());

      assertThat(haInfo(back).path("snapshots_installed").asLong()).as("caught up past a snapshot").isPositive();
      assertOneChain(nodes);
    }
  }

  /** Without a P2P peer it waits for the snapshot's tip, applying nothing past it, and still closes. */
  @Test
  void aMemberWaitingForASnapshotsTipStillCloses() throws Exception {
    try (Closer closer = new Closer()) {
      ReturnAfterCompaction late = compactWithoutOneMember(closer, new ArrayList<>());
      Node back = TestNodes.start(late.config().withServer(ServerConfig.defaults(null, List.of(), true)));
      await().atMost(WITHIN).until(() -> haNumber(back, "snapshots_installed") > 0);
      JsonNode info = haInfo(back);
      assertThat(info.path("applied_index").asLong()).as("nothing applied past the snapshot without its tip")
          .isEqualTo(info.path("snapshot_index").asLong());

      Thread closing = Thread.ofVirtual().start(back::close);
      assertThat(closing.join(WITHIN)).as("closed while waiting for the snapshot's tip").isTrue();
    }
  }

  /**
   * Regtest blocks cost nothing to mine: a block from outside the group, offered by a P2P peer,
   * must not fork a member off its Raft log. The member learns the headers and takes no block.
   */
  @Test
  void aBlockMinedOutsideTheGroupNeverEntersAMembersChain() throws Exception {
    try (Node outsider = TestNodes.start(TestNodes.regtest(dir.resolve("outsider")))) {
      TestNodes.mine(outsider, 3);
      HaConfig.Member self = new HaConfig.Member("a", new InetSocketAddress("127.0.0.1", TestNodes.freePort()));
      HaConfig alone = new HaConfig("a", List.of(self), dir.resolve("a").resolve("raft"),
          HaConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS);
      long neverMillis = 3_600_000; // the member itself produces nothing during the test
      try (Node member = TestNodes.start(TestNodes.connectedTo(dir.resolve("a"), outsider.p2pAddress())
          .withProduction(new ProductionConfig(neverMillis, TestNodes.regtestScript(), alone)))) {
        await().atMost(WITHIN).until(() -> member.snapshot().bestHeader().height() == 3);
        await().during(Duration.ofSeconds(1)).atMost(WITHIN).until(() -> member.snapshot().tip().height() == 0);
      }
    }
  }

  /** The third member's configuration, and the highest log index it can have applied. */
  private record ReturnAfterCompaction(NodeConfig config, long appliedAtMostIndex) {}

  /**
   * Starts members a and b, and c connected to both over P2P; stops c once it holds a few blocks,
   * and waits until a's and b's logs start past anything c applied.
   */
  private ReturnAfterCompaction compactWithoutOneMember(Closer closer, List<Node> nodes) throws Exception {
    HaConfig.Compaction often = new HaConfig.Compaction(50, 16 << 10); // 16 KiB: about 50 blocks a segment
    List<HaConfig.Member> members = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      members.add(new HaConfig.Member(id, new InetSocketAddress("127.0.0.1", TestNodes.freePort())));
    }
    for (HaConfig.Member member : members.subList(0, 2)) {
      nodes.add(closer.later(TestNodes.start(TestNodes.regtest(dir.resolve(member.id()))
          .withProduction(production(member, members, often)))));
    }
    NodeConfig lateConfig = TestNodes.connectedTo(dir.resolve("c"), nodes.get(0).p2pAddress(), nodes.get(1).p2pAddress())
        .withProduction(production(members.get(2), members, often));
    long appliedAtMost;
    try (Node late = TestNodes.start(lateConfig)) {
      await().atMost(WITHIN).until(() -> late.snapshot().tip().height() >= 5);
      // Read before the close: it applies a few entries more at most (0.05 s each) before it stops.
      appliedAtMost = late.chainView().lastAppliedLogPosition().orElseThrow().index() + 100;
    }
    await().atMost(WITHIN).until(() -> nodes.stream().allMatch(n -> haNumber(n, "log_start_index") > appliedAtMost));
    return new ReturnAfterCompaction(lateConfig, appliedAtMost);
  }

  private ProductionConfig production(HaConfig.Member member, List<HaConfig.Member> members,
      HaConfig.Compaction compaction) {
    return new ProductionConfig(INTERVAL_MILLIS, TestNodes.regtestScript(), new HaConfig(member.id(), members,
        dir.resolve(member.id()).resolve("raft"), HaConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS, null, compaction));
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

  private static long haNumber(Node node, String field) {
    try {
      return haInfo(node).path(field).asLong();
    } catch (Exception e) {
      return -1;
    }
  }

  private static JsonNode haInfo(Node node) throws Exception {
    return NodeRpcClient.of(node).call("gethainfo");
  }
}
