package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.testing.BcoinNode;
import io.peerd.testing.HaProcesses;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004 as an operator meets it: three peerd processes in an HA group, producing every 0.2 s;
 * the leader is killed with SIGKILL ten times in a row (and restarted each time). Each time a new
 * leader goes on producing, the killed member comes back and catches up, and at the end all three
 * hold the same chain: no gap, no fork. A bcoin node dialing all three over P2P follows them
 * throughout and ends with that chain and no other branch.
 */
class HaKillTest {
  private static final int KILLS = 10;
  private static final String INTERVAL_SECONDS = "0.2";
  /** JVM start, store open, Raft election: generous for a loaded CI machine. */
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void killingTheLeaderTenTimesLeavesOneChainWithNoGapAndNoFork() throws Exception {
    try (HaProcesses group = HaProcesses.start(dir, List.of("a", "b", "c"), INTERVAL_SECONDS, BOUND)) {
      group.awaitLeader("start");
      try (BcoinNode bcoin = BcoinNode.start(dir.resolve("bcoin"), List.of(dialOnly(group.p2pPorts())))) {
        await("bcoin connected to all three members").atMost(BOUND).pollInterval(Duration.ofMillis(100))
            .until(() -> bcoin.rpc("getpeerinfo").size() == group.members().size());
        List<Long> failoverMillis = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
          failoverMillis.add(group.killLeaderAndRestart("round " + kill));
        }

        int common = group.commonHeight();
        bcoin.awaitBlockCount(common, BOUND);
        for (int height = 1; height <= common; height++) {
          assertThat(hashesAt(group, bcoin, height).distinct()).as("members' and bcoin's block at height " + height)
              .hasSize(1);
        }
        JsonNode tips = bcoin.rpc("getchaintips");
        assertThat(tips).as("bcoin's chain tips: one chain, no branch ever seen: " + tips).hasSize(1);
        System.out.printf("HA kill -9: %d kills, chain at %d; kill to a block past the old leader's height: %s%n",
            KILLS, common, HaProcesses.summarize(failoverMillis));
      }
    }
  }

  /** bcoin syncs only from peers it dialed; {@code --only} takes a list and dials each. */
  private static String dialOnly(List<Integer> ports) {
    return "--only=" + ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  private static Stream<String> hashesAt(HaProcesses group, BcoinNode bcoin, int height)
      throws IOException, InterruptedException {
    String bcoinHash = bcoin.blockHash(height);
    return Stream.concat(group.members().stream().map(m -> m.blockHash(height)), Stream.of(bcoinHash));
  }
}
