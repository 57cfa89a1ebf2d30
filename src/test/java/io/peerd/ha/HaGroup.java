package io.peerd.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.actor.Mailbox;
import io.peerd.actor.ScheduledTimers;
import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.NetworkParameters;
import io.peerd.produce.IntervalProducer;
import io.peerd.store.RocksChainStore;
import io.peerd.testing.TestNodes;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Raft members on loopback for the HA tests, each with its own Ratis server, chain actor, RocksDB
 * store and interval producer, in a data folder per member id (so a member closed and started
 * again finds its chain and Raft log).
 */
final class HaGroup implements AutoCloseable {
  static final Duration PROGRESS_WITHIN = Duration.ofSeconds(90);

  private final Path dir;
  private final HaConfig.Compaction compaction;
  private final List<Member> running = new ArrayList<>();

  HaGroup(Path dir) {
    this(dir, HaConfig.Compaction.DEFAULT);
  }

  HaGroup(Path dir, HaConfig.Compaction compaction) {
    this.dir = dir;
    this.compaction = compaction;
  }

  /** {@code count} members named m0, m1, ..., each at a free loopback port. */
  static List<HaConfig.Member> members(int count) throws IOException {
    List<HaConfig.Member> members = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      members.add(new HaConfig.Member("m" + i, new InetSocketAddress("127.0.0.1", TestNodes.freePort())));
    }
    return members;
  }

  /** Starts member {@code id} of {@code members}, its Raft server listening at its own address. */
  Member start(String id, List<HaConfig.Member> members, long intervalMillis) throws IOException {
    return start(id, members, null, intervalMillis);
  }

  /** Starts member {@code id} of {@code members}, its Raft server listening at {@code bindAddress}. */
  Member start(String id, List<HaConfig.Member> members, InetSocketAddress bindAddress, long intervalMillis)
      throws IOException {
    Member member = new Member(new HaConfig(id, members, dir.resolve(id).resolve("raft"),
        HaConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS, bindAddress, compaction), intervalMillis);
    running.add(member);
    return member;
  }

  /** Starts every one of {@code members}. */
  void startAll(List<HaConfig.Member> members, long intervalMillis) throws IOException {
    for (HaConfig.Member member : members) {
      start(member.id(), members, intervalMillis);
    }
  }

  List<Member> running() {
    return List.copyOf(running);
  }

  Optional<Member> leader() {
    return running.stream().filter(Member::isLeader).findFirst();
  }

  int maxHeight() {
    return running.stream().mapToInt(Member::height).max().orElseThrow();
  }

  int minHeight() {
    return running.stream().mapToInt(Member::height).min().orElseThrow();
  }

  /** Waits for {@code condition}; on a timeout, says where each member stands. */
  void await(String what, Callable<Boolean> condition) {
    try {
      Awaitility.await(what).atMost(PROGRESS_WITHIN).until(condition);
    } catch (ConditionTimeoutException e) {
      StringBuilder state = new StringBuilder(what + " did not happen; members:");
      for (Member member : running) {
        state.append("\n  ").append(member.id()).append(" height ").append(member.height()).append(", ")
            .append(member.ha.info()).append(", stored position ")
            .append(member.chain.view().lastAppliedLogPosition());
      }
      throw new AssertionError(state.toString(), e);
    }
  }

  /** At every height all running members hold, the same block: no fork, no gap. */
  void assertOneChain() {
    int common = minHeight();
    for (int height = 0; height <= common; height++) {
      int h = height;
      assertThat(running.stream().map(m -> m.hashAt(h).orElseThrow()).distinct()).as("height " + h).hasSize(1);
    }
  }

  @Override
  public void close() throws Exception {
    for (Member member : List.copyOf(running)) {
      member.close();
    }
  }

  /** One member: its store, chain actor, Raft member and producer. */
  final class Member implements AutoCloseable {
    final HaConfig config;
    final RocksChainStore store;
    final Chain chain;
    final ChainActor actor;
    final ScheduledTimers timers;
    final HaMember ha;
    final IntervalProducer producer;

    private Member(HaConfig config, long intervalMillis) throws IOException {
      String id = config.selfId();
      this.config = config;
      this.store = RocksChainStore.open(dir.resolve(id).resolve("chain"), "regtest");
      this.chain = Chain.open(NetworkParameters.REGTEST, store, () -> System.currentTimeMillis() / 1000);
      this.actor = new ChainActor(chain, new ChainActor.Listener() {
        @Override
        public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result) {}

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
    }

    String id() {
      return config.selfId();
    }

    int height() {
      return chain.view().snapshot().tip().height();
    }

    Optional<Hash> hashAt(int height) {
      return chain.view().onTipChain(height).map(node -> node.hash());
    }

    boolean isLeader() {
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
}
