package io.peerd.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.actor.Mailbox;
import io.peerd.actor.ScheduledTimers;
import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.NetworkParameters;
import io.peerd.produce.IntervalProducer;
import io.peerd.store.RocksChainStore;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Hash;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;
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
  private static final Duration PROGRESS_WITHIN = Duration.ofSeconds(90);

  @TempDir
  Path dir;
  private final List<Member> running = new ArrayList<>();

  /** One member: its store, chain actor, Raft member and producer. */
  private final class Member implements AutoCloseable {
    final String id;
    final HaConfig config;
    final RocksChainStore store;
    final Chain chain;
    final ChainActor actor;
    final ScheduledTimers timers;
    final HaMember ha;
    final IntervalProducer producer;

    Member(String id, List<HaConfig.Member> members) throws IOException {
      this(id, members, INTERVAL_MILLIS);
    }

    Member(String id, List<HaConfig.Member> members, long intervalMillis) throws IOException {
      this.id = id;
      this.config = new HaConfig(id, members, dir.resolve(id).resolve("raft"), HaConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS);
      this.store = RocksChainStore.open(dir.resolve(id).resolve("chain"), "regtest");
      this.chain = Chain.open(NetworkParameters.REGTEST, store, () -> System.currentTimeMillis() / 1000);
      this.actor = new ChainActor(chain, new ChainActor.Listener() {
        @Override
        public void headersProcessed(ChainActor.Source source, List<io.peerd.wire.BlockHeader> headers,
            Chain.HeadersResult result) {}

        @Override
        public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {}

        @Override
        public void tipChanged(ChainSnapshot snapshot) {}
      }, () -> System.currentTimeMillis() / 1000, new Mailbox(64), Thread.ofPlatform().name("chain-" + id).factory());
      actor.start();
      this.timers = new ScheduledTimers("timers-" + id, Thread.ofPlatform().name("timers-" + id).factory());
      this.ha = HaMember.start(config, "regtest", actor, chain.view(), Thread.ofVirtual().name("ha-" + id).factory());
      this.producer = new IntervalProducer(timers, intervalMillis, () -> ha.produceIfLeader(TestNodes.regtestScript()));
      producer.start();
      running.add(this);
    }

    int height() {
      return chain.view().snapshot().tip().height();
    }

    Optional<Hash> hashAt(int height) {
      return chain.view().onTipChain(height).map(node -> node.hash());
    }

    boolean isLeader() throws IOException {
      return ha.info().role().equals("leader");
    }

    @Override
    public void close() throws Exception {
      if (!running.remove(this)) {
        return;
      }
      producer.stop();
      ha.close();
      actor.stop();
      actor.awaitStopped(5_000);
      timers.close();
      store.close();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (Member member : List.copyOf(running)) {
      member.close();
    }
  }

  @Test
  void aFreshGroupProducesFromHeightOneWithoutAnyPeer() throws Exception {
    List<HaConfig.Member> members = members(3);
    for (HaConfig.Member member : members) {
      new Member(member.id(), members);
    }

    awaitCluster("three blocks everywhere", () -> running.stream().allMatch(m -> m.height() >= 3));
    assertSameChains(running);
    assertThat(running.stream().filter(this::leads)).hasSize(1);
  }

  @Test
  void losingTheLeaderTheOthersContinueAndItCatchesUpOnItsReturn() throws Exception {
    List<HaConfig.Member> members = members(3);
    for (HaConfig.Member member : members) {
      new Member(member.id(), members);
    }
    awaitCluster("a leader and two blocks everywhere", () -> running.stream().anyMatch(this::leads)
        && running.stream().allMatch(m -> m.height() >= 2));
    Member leader = running.stream().filter(this::leads).findFirst().orElseThrow();
    String leaderId = leader.id;
    leader.close();
    int heightAtLoss = running.stream().mapToInt(Member::height).max().orElseThrow();

    awaitCluster("the others continue", () -> running.stream().allMatch(m -> m.height() >= heightAtLoss + 5));
    Member returned = new Member(leaderId, members);
    awaitCluster("the returned member catches up", () -> returned.height() >= heightAtLoss + 5);

    assertSameChains(running);
    assertThat(returned.ha.appliedCount(ChainActor.AppliedOutcome.ALREADY_ON_CHAIN))
        .as("entries the returned member held before it stopped are not applied again").isZero();
    assertThat(returned.ha.appliedCount(ChainActor.AppliedOutcome.CONNECTED)).isPositive();
  }

  /** Issue 14's test 5: a follower stopped while the others produce a thousand blocks. */
  @Test
  void aMemberDownForAThousandBlocksCatchesUpFromTheLog() throws Exception {
    List<HaConfig.Member> members = members(3);
    for (HaConfig.Member member : members) {
      new Member(member.id(), members, IntervalProducer.MIN_INTERVAL_MILLIS);
    }
    awaitCluster("a leader", () -> running.stream().anyMatch(this::leads));
    Member follower = running.stream().filter(m -> !leads(m)).findFirst().orElseThrow();
    String followerId = follower.id;
    follower.close();
    int heightAtStop = running.stream().mapToInt(Member::height).max().orElseThrow();

    awaitCluster("a thousand blocks without it", () -> running.stream().allMatch(m -> m.height() >= heightAtStop + 1_000));
    Member returned = new Member(followerId, members, IntervalProducer.MIN_INTERVAL_MILLIS);
    int target = running.stream().filter(m -> m != returned).mapToInt(Member::height).min().orElseThrow();
    awaitCluster("the returned member catches up", () -> returned.height() >= target);

    assertSameChains(running);
    assertThat(returned.ha.appliedCount(ChainActor.AppliedOutcome.CONNECTED)).isGreaterThanOrEqualTo(1_000);
  }

  /** Waits for {@code condition}; on a timeout, says where each member stands. */
  private void awaitCluster(String what, Callable<Boolean> condition) throws IOException {
    try {
      await(what).atMost(PROGRESS_WITHIN).until(condition);
    } catch (ConditionTimeoutException e) {
      StringBuilder state = new StringBuilder(what + " did not happen; members:");
      for (Member member : running) {
        state.append("\n  ").append(member.id).append(" height ").append(member.height()).append(", ")
            .append(member.ha.info()).append(", stored position ").append(member.chain.view().lastAppliedLogPosition());
      }
      throw new AssertionError(state.toString(), e);
    }
  }

  private boolean leads(Member member) {
    try {
      return member.isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  /** At every height all members hold, the same block: no fork, no gap. */
  private static void assertSameChains(List<Member> members) {
    int common = members.stream().mapToInt(Member::height).min().orElseThrow();
    for (int height = 0; height <= common; height++) {
      int h = height;
      assertThat(members.stream().map(m -> m.hashAt(h).orElseThrow()).distinct()).as("height " + h).hasSize(1);
    }
  }

  private static List<HaConfig.Member> members(int count) throws IOException {
    List<HaConfig.Member> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add(new HaConfig.Member("m" + i, new InetSocketAddress("127.0.0.1", TestNodes.freePort())));
    }
    return members;
  }
}
