package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004 as an operator meets it: three peerd processes in an HA group, producing every 0.2 s;
 * the leader is killed with SIGKILL ten times in a row (and restarted each time). Each time a new
 * leader goes on producing, the killed member comes back and catches up, and at the end all three
 * hold the same chain: no gap, no fork.
 */
class HaKillTest {
  private static final int KILLS = 10;
  private static final String INTERVAL_SECONDS = "0.2";
  /** JVM start, store open, Raft election: generous for a loaded CI machine. */
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private final List<Member> members = new ArrayList<>();

  /** One member: its ports, data directory and current process. */
  private final class Member {
    final String id;
    final int raftPort = TestNodes.freePort();
    final int p2pPort = TestNodes.freePort();
    final int rpcPort = TestNodes.freePort();
    final Path datadir;
    final NodeRpcClient rpc;
    Process process;
    int starts;

    Member(String id) throws IOException {
      this.id = id;
      this.datadir = dir.resolve(id);
      this.rpc = NodeRpcClient.withCookie(rpcPort, datadir.resolve("regtest"));
    }

    void start(String peers) throws IOException {
      String java = ProcessHandle.current().info().command().orElseThrow();
      Path log = dir.resolve(id + "-" + starts++ + ".log");
      process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
          System.getProperty("java.class.path"), Main.class.getName(), "--regtest", "--datadir", datadir.toString(),
          "--listen", "127.0.0.1:" + p2pPort, "--rpcport", String.valueOf(rpcPort),
          "--produce-interval", INTERVAL_SECONDS, "--produce-address", TestNodes.REGTEST_ADDRESS,
          "--ha-id", id, "--ha-peers", peers)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    Optional<JsonNode> haInfo() {
      try {
        return process.isAlive() ? Optional.of(rpc.call("gethainfo")) : Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    }

    int height() {
      try {
        return rpc.call("getblockcount").asInt();
      } catch (Exception e) {
        return -1;
      }
    }
  }

  @AfterEach
  void killAll() throws InterruptedException {
    for (Member member : members) {
      if (member.process != null && member.process.isAlive()) {
        member.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void killingTheLeaderTenTimesLeavesOneChainWithNoGapAndNoFork() throws Exception {
    for (String id : List.of("a", "b", "c")) {
      members.add(new Member(id));
    }
    String peers = members.stream().map(m -> m.id + "@127.0.0.1:" + m.raftPort).collect(Collectors.joining(","));
    for (Member member : members) {
      member.start(peers);
    }
    List<Long> failoverMillis = new ArrayList<>();
    for (int kill = 0; kill < KILLS; kill++) {
      Member leader = awaitLeader("round " + kill);
      int heightAtKill = leader.height();
      leader.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook
      long killedNanos = System.nanoTime();

      List<Member> survivors = members.stream().filter(m -> m != leader).toList();
      await("round " + kill + ": a new leader produces past height " + heightAtKill).atMost(BOUND)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> survivors.stream().anyMatch(m -> m.height() > heightAtKill + 1));
      failoverMillis.add((System.nanoTime() - killedNanos) / 1_000_000);

      leader.start(peers);
      int target = survivors.getFirst().height();
      await("round " + kill + ": member " + leader.id + " is back and caught up to " + target).atMost(BOUND)
          .pollInterval(Duration.ofMillis(100)).until(() -> leader.height() >= target);
    }

    int common = members.stream().mapToInt(Member::height).min().orElseThrow();
    for (int height = 1; height <= common; height++) {
      int h = height;
      assertThat(members.stream().map(m -> blockHash(m, h)).distinct()).as("height " + h).hasSize(1);
    }
    failoverMillis.sort(null);
    System.out.printf("HA kill -9: %d kills, chain at %d; kill to a block past the old leader's height: "
        + "median %d ms, worst %d ms%n", KILLS, common, failoverMillis.get(KILLS / 2), failoverMillis.getLast());
  }

  private Member awaitLeader(String round) {
    await(round + ": one leader").atMost(BOUND).pollInterval(Duration.ofMillis(50))
        .until(() -> members.stream().filter(m -> m.haInfo().map(i -> i.path("role").asText().equals("leader"))
            .orElse(false)).count() == 1);
    return members.stream().filter(m -> m.haInfo().map(i -> i.path("role").asText().equals("leader")).orElse(false))
        .findFirst().orElseThrow();
  }

  private static String blockHash(Member member, int height) {
    try {
      return member.rpc.call("getblockhash", height).asText();
    } catch (Exception e) {
      throw new AssertionError(member.id + " has no block at " + height, e);
    }
  }
}
