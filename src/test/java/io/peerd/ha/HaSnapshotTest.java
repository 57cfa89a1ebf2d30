package io.peerd.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.chain.ChainActor;
import io.peerd.testing.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Raft log is cut short behind snapshots (pointers to the tip), so it stays bounded while the
 * chain grows; a member restarted after its own log was compacted starts from its snapshot and
 * chain, applying nothing twice.
 */
class HaSnapshotTest {
  /**
   * A snapshot every 100 entries, 16 KiB segments (about 50 blocks): a few hundred blocks compact
   * the log, and a member down for fewer than 50 blocks finds its entries in the log.
   */
  static final HaConfig.Compaction OFTEN = new HaConfig.Compaction(100, 16 << 10);
  private static final long INTERVAL_MILLIS = 20;

  @TempDir
  Path dir;

  @Test
  void theLogIsCompactedBehindSnapshotsAndARestartedMemberGoesOnFromItsOwn() throws Exception {
    try (HaGroup group = new HaGroup(dir, OFTEN)) {
      List<HaConfig.Member> members = HaGroup.members(3);
      group.startAll(members, INTERVAL_MILLIS);
      group.await("every member's log cut short behind a snapshot", () -> group.running().stream()
          .allMatch(m -> m.ha.info().snapshotIndex() > 0 && m.ha.info().logStartIndex() > 0));

      // Production stops here so the member is down for exactly five blocks, however slowly this
      // machine restarts it: a gap of more than one snapshot period would need a snapshot instead.
      group.running().forEach(m -> m.producer.stop());
      HaGroup.Member leader = group.leader().orElseThrow();
      HaGroup.Member follower = group.running().stream().filter(m -> m != leader).findFirst().orElseThrow();
      follower.close();
      int heightAtStop = group.maxHeight();
      for (int i = 0; i < 5; i++) {
        leader.ha.produceIfLeader(TestNodes.regtestScript()).get(30, TimeUnit.SECONDS);
      }
      group.await("the others go on", () -> group.minHeight() >= heightAtStop + 5);
      HaGroup.Member returned = group.start(follower.id(), members, INTERVAL_MILLIS);
      int target = group.maxHeight();
      group.await("the returned member catches up", () -> returned.height() >= target);

      group.assertOneChain();
      assertThat(returned.ha.appliedCount(ChainActor.AppliedOutcome.ALREADY_ON_CHAIN)).as("applied twice").isZero();
      assertThat(returned.ha.info().snapshotsInstalled()).as("its own log sufficed").isZero();
    }
  }
}
