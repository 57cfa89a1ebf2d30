package io.peerd.lifecycle;

import static io.peerd.lifecycle.PeerLifecycleModelCheckTest.finish;
import static io.peerd.lifecycle.PeerLifecycleModelCheckTest.handshake;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.testing.FakePeer;
import io.peerd.testing.TestChains;
import io.peerd.wire.Block;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Refusals under real load, on real threads: the real server, sync manager and chain with
 * two-message mailboxes, while peers storm them with blocks and others churn. Full mailboxes
 * refuse (peers whose data found no room are disconnected), and the actors come out whole: no
 * handler failure, no lifecycle event lost, and a well-behaved peer afterwards gets every block
 * connected. The model check explores the interleavings of a small storm; this one shows the
 * refusals happen at volume and are survived.
 */
class MailboxOverflowLoadTest {
  private static final List<Block> BLOCKS = TestChains.mine(40);
  private static final int STORMERS = 8;
  private static final int PUSHES_PER_STORMER = 5;
  /**
   * One churner: each connect waits for the previous peer's admission, so the server's counted
   * messages (accepted sockets) never exceed one and the churners are never refused; the sync
   * manager's and the chain's mailboxes are the ones the storm fills.
   */
  private static final int CHURNS = 200;
  private static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  void fullMailboxesRefuseUnderLoadAndTheActorsComeOutWhole() throws Exception {
    ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED, TestChains.fresh(), 2);
    system.start();
    List<FakePeer> peers = new ArrayList<>();
    List<FakePeer> stormers = new ArrayList<>();
    for (int i = 0; i < STORMERS; i++) {
      FakePeer stormer = system.connect();
      handshake(system, stormer);
      stormers.add(stormer);
    }
    peers.addAll(stormers);
    Queue<FakePeer> churned = new ConcurrentLinkedQueue<>(); // connects only on the churner's thread meanwhile
    try (ExecutorService load = Executors.newFixedThreadPool(STORMERS + 1)) {
      List<Future<?>> tasks = new ArrayList<>();
      for (FakePeer stormer : stormers) {
        tasks.add(load.submit(() -> {
          for (int i = 0; i < PUSHES_PER_STORMER; i++) {
            pushAll(system, stormer);
          }
        }));
      }
      tasks.add(load.submit(() -> {
        for (int j = 0; j < CHURNS; j++) {
          FakePeer churner = system.connect();
          churned.add(churner);
          handshake(system, churner);
          churner.disconnect("left");
        }
      }));
      for (Future<?> task : tasks) {
        task.get();
      }
    }
    peers.addAll(churned);
    stormers.forEach(stormer -> stormer.disconnect("left"));

    assertThat(system.sync.refusedCount() + system.chainActor.refusedCount()).as("refusals under load").isPositive();
    assertThat(system.server.refusedCount()).as("accepted sockets refused").isZero();
    FakePeer steady = system.connect();
    handshake(system, steady);
    peers.add(steady);
    for (int height = 1; height <= BLOCKS.size(); height++) {
      BlockStorm.push(system.server, steady, List.of(BLOCKS.get(height - 1)));
      int connected = height;
      await("block " + height + " connected").atMost(BOUND)
          .until(() -> system.chain.view().snapshot().tipHeight() >= connected);
    }
    steady.disconnect("left");
    finish(system, peers.toArray(FakePeer[]::new));
  }

  private static void pushAll(ActorSystem system, FakePeer stormer) {
    BlockStorm.push(system.server, stormer, BLOCKS);
  }
}
