package io.peerd.lifecycle;

import static io.peerd.lifecycle.ModelCheck.concurrently;
import static io.peerd.lifecycle.PeerLifecycleModelCheckTest.finish;
import static io.peerd.lifecycle.PeerLifecycleModelCheckTest.handshake;
import static io.peerd.lifecycle.PeerLifecycleModelCheckTest.lifecycleRace;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.testing.FakePeer;
import io.peerd.testing.TestChains;
import org.junit.jupiter.api.Test;

/**
 * The block storm of seed 001 on the real actors, and proof that these checks bite: each seed bug
 * reintroduced in a test-only variant of one part is found by the same model checker.
 */
class SeedBugModelCheckTest {
  static final int SCHEDULES = 300;
  /** A bug must be found within this many schedules (the search stops at the first). */
  static final int SEARCH_BUDGET = 2_000;
  /**
   * Two counted messages per mailbox: the storm's blocks overflow the sync manager's and the
   * chain's, so refusals happen (and must be survived), and mailboxes whose sends block when full
   * deadlock (bin/prove-reversions, 001-mailboxes-block-when-full).
   */
  static final int STORM_MAILBOX_CAPACITY = 2;

  /**
   * Server, sync manager and chain under a block storm while peers join and leave, with mailboxes
   * small enough that the storm fills them.
   */
  @Test
  void blockStormWhilePeersChurnNeitherDeadlocksNorLosesLifecycleEvents() {
    ActorSystem.Wiring gated = new ActorSystem.Wiring(sync -> new AddedGate(sync), ActorSystem.Wiring.FIXED.mailboxes());
    ModelCheck.Outcome outcome = ModelCheck.explore(SCHEDULES, () -> storm(gated));
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void separateAddAndDoneQueuesAreCaught() {
    ActorSystem.Wiring twoQueues = new ActorSystem.Wiring(sync -> new TwoQueueSyncInput(sync),
        ActorSystem.Wiring.FIXED.mailboxes());
    ModelCheck.Outcome outcome = ModelCheck.explore(SEARCH_BUDGET, () -> lifecycleRace(twoQueues));
    assertThat(outcome.failure()).as("the checker finds done-before-added").isNotNull();
    assertThat(outcome.failure()).hasStackTraceContaining("after every peer closed");
  }

  @Test
  void doneSentToTheSyncManagerFromThePeersThreadIsCaught() {
    ModelCheck.Outcome outcome = ModelCheck.explore(SEARCH_BUDGET, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      system.start();
      FakePeer peer = system.connect(new DirectDoneEvents(system.server, system.sync));
      handshake(system, peer);
      peer.disconnect("peer closed"); // "done" now races the server forwarding "added"
      finish(system, peer);
    });
    assertThat(outcome.failure()).as("the checker finds done-before-added").isNotNull();
    assertThat(outcome.failure()).hasStackTraceContaining("after every peer closed");
  }

  @Test
  void blockingSendsBetweenActorsDeadlockAndAreCaught() {
    ActorSystem.Wiring blocking = new ActorSystem.Wiring(sync -> new AddedGate(sync), capacity -> new BlockingMailbox(1));
    ModelCheck.Outcome outcome = ModelCheck.explore(SEARCH_BUDGET, () -> storm(blocking));
    assertThat(outcome.failure()).as("the checker finds the wait cycle").isNotNull();
    assertThat(outcome.failure().getMessage()).containsAnyOf("deadlock", "hung");
  }

  /**
   * A peer pushes blocks (once the sync manager knows it) while another joins and leaves; then
   * everyone leaves. {@code wiring} must put an {@link AddedGate} before the sync manager.
   */
  static void storm(ActorSystem.Wiring wiring) throws Exception {
    ActorSystem system = new ActorSystem(wiring, TestChains.fresh(), STORM_MAILBOX_CAPACITY);
    system.start();
    FakePeer stormer = system.connect();
    FakePeer churner = system.connect();
    handshake(system, stormer);
    ((AddedGate) system.syncInput).awaitAdded(stormer);
    concurrently(
        () -> BlockStorm.push(system.server, stormer),
        () -> {
          handshake(system, churner);
          churner.disconnect("left");
        });
    stormer.disconnect("left");
    finish(system, stormer, churner);
  }
}
