package io.peerd.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's test 3: the members reach each other through forwards ({@link RaftLinks}) that cut
 * the leader off from both others, in both directions, while it keeps running. It is fenced (its
 * proposals cannot commit, so its chain does not move) while the other two elect a leader and go
 * on; after healing it follows their chain without a fork, and no longer proposes.
 */
class HaPartitionTest {
  private static final long INTERVAL_MILLIS = 100;
  /** Blocks the majority produces while the old leader is watched. */
  private static final int BLOCKS_WATCHED = 10;

  @TempDir
  Path dir;

  @Test
  void aLeaderCutOffIsFencedWhileTheOthersGoOnAndFollowsThemOnceHealed() throws Exception {
    List<HaConfig.Member> bindAt = HaGroup.members(3);
    try (RaftLinks links = RaftLinks.forward(bindAt); HaGroup group = new HaGroup(dir)) {
      for (HaConfig.Member member : bindAt) {
        group.start(member.id(), links.listed(), member.address(), INTERVAL_MILLIS);
      }
      group.await("a leader and three blocks everywhere", () -> group.leader().isPresent() && group.minHeight() >= 3);
      HaGroup.Member old = group.leader().orElseThrow();
      List<HaGroup.Member> others = group.running().stream().filter(m -> m != old).toList();

      links.cutOff(old.id());
      // Its one proposal in flight may have been committed just before the cut, not applied yet.
      int mostAfterCut = old.height() + 1;
      group.await("the other two elect a leader and go on", () -> others.stream().anyMatch(HaGroup.Member::isLeader)
          && others.stream().allMatch(m -> m.height() >= mostAfterCut + BLOCKS_WATCHED));
      assertThat(old.height()).as("the cut-off leader's chain did not move").isLessThanOrEqualTo(mostAfterCut);
      group.assertOneChain();

      links.heal();
      int majorityAtHeal = others.stream().mapToInt(HaGroup.Member::height).max().orElseThrow();
      group.await("the old leader follows and catches up", () -> !old.isLeader() && old.height() >= majorityAtHeal);
      long failedWhileFollowing = old.ha.info().failedProposals();
      int from = group.maxHeight();
      group.await("the group goes on", () -> group.minHeight() >= from + BLOCKS_WATCHED);

      group.assertOneChain();
      assertThat(old.ha.info().failedProposals()).as("a follower proposes nothing, so nothing of it fails")
          .isEqualTo(failedWhileFollowing);
    }
  }
}
