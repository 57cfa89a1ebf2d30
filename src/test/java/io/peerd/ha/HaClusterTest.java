package io.peerd.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.chain.ChainActor;
import io.peerd.produce.IntervalProducer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Raft members on loopback, each with its own Ratis server, chain actor and RocksDB store:
 * a fresh group produces from height 1 without any peer, survives losing its leader, and a member
 * that was down catches up; at every height all members hold the same block.
 */
class HaClusterTest {
  private static final long INTERVAL_MILLIS = 100;

  @TempDir
  Path dir;
  private HaGroup group;

  @AfterEach
  void closeAll() throws Exception {
    group.close();
  }

  @Test
  void aFreshGroupProducesFromHeightOneWithoutAnyPeer() throws Exception {
    group = new HaGroup(dir);
    group.startAll(HaGroup.members(3), INTERVAL_MILLIS);

    group.await("three blocks everywhere", () -> group.minHeight() >= 3);
    group.assertOneChain();
    assertThat(group.running().stream().filter(HaGroup.Member::isLeader)).hasSize(1);
  }

  @Test
  void losingTheLeaderTheOthersContinueAndItCatchesUpOnItsReturn() throws Exception {
    group = new HaGroup(dir);
    List<HaConfig.Member> members = HaGroup.members(3);
    group.startAll(members, INTERVAL_MILLIS);
    group.await("a leader and two blocks everywhere", () -> group.leader().isPresent() && group.minHeight() >= 2);
    HaGroup.Member leader = group.leader().orElseThrow();
    leader.close();
    int heightAtLoss = group.maxHeight();

    group.await("the others continue", () -> group.minHeight() >= heightAtLoss + 5);
    HaGroup.Member returned = group.start(leader.id(), members, INTERVAL_MILLIS);
    group.await("the returned member catches up", () -> returned.height() >= heightAtLoss + 5);

    group.assertOneChain();
    assertThat(returned.ha.appliedCount(ChainActor.AppliedOutcome.ALREADY_ON_CHAIN))
        .as("entries the returned member held before it stopped are not applied again").isZero();
    assertThat(returned.ha.appliedCount(ChainActor.AppliedOutcome.CONNECTED)).isPositive();
  }

  /**
   * Issue 14's test 4: each member in turn is stopped and started again, three rounds, while the
   * group produces every 0.2 s; the group goes on each time, and each member comes back to the
   * one chain, applying nothing twice.
   */
  @Test
  void rollingRestartsThreeRoundsLeaveOneChain() throws Exception {
    long intervalMillis = 200;
    int rounds = 3;
    group = new HaGroup(dir);
    List<HaConfig.Member> members = HaGroup.members(3);
    group.startAll(members, intervalMillis);
    group.await("a leader and a block", () -> group.leader().isPresent() && group.minHeight() >= 1);
    for (int round = 1; round <= rounds; round++) {
      for (HaConfig.Member restarting : members) {
        HaGroup.Member member = group.running().stream().filter(m -> m.id().equals(restarting.id())).findFirst()
            .orElseThrow();
        member.close();
        int heightAtStop = group.maxHeight();
        group.await("round " + round + ": the group goes on without " + restarting.id(),
            () -> group.minHeight() >= heightAtStop + 2);
        HaGroup.Member back = group.start(restarting.id(), members, intervalMillis);
        int target = group.maxHeight();
        group.await("round " + round + ": " + restarting.id() + " is back at " + target, () -> back.height() >= target);
        assertThat(back.ha.appliedCount(ChainActor.AppliedOutcome.ALREADY_ON_CHAIN)).as("applied twice").isZero();
      }
    }
    group.assertOneChain();
  }

  /** Issue 14's test 5: a follower stopped while the others produce a thousand blocks. */
  @Test
  void aMemberDownForAThousandBlocksCatchesUpFromTheLog() throws Exception {
    group = new HaGroup(dir);
    List<HaConfig.Member> members = HaGroup.members(3);
    group.startAll(members, IntervalProducer.MIN_INTERVAL_MILLIS);
    group.await("a leader", () -> group.leader().isPresent());
    HaGroup.Member follower = group.running().stream().filter(m -> !m.isLeader()).findFirst().orElseThrow();
    follower.close();
    int heightAtStop = group.maxHeight();

    group.await("a thousand blocks without it", () -> group.minHeight() >= heightAtStop + 1_000);
    int target = group.minHeight();
    HaGroup.Member returned = group.start(follower.id(), members, IntervalProducer.MIN_INTERVAL_MILLIS);
    group.await("the returned member catches up", () -> returned.height() >= target);

    group.assertOneChain();
    assertThat(returned.ha.appliedCount(ChainActor.AppliedOutcome.CONNECTED)).isGreaterThanOrEqualTo(1_000);
  }
}
