package io.peerd.lifecycle;

import static io.peerd.lifecycle.ModelCheck.concurrently;
import static io.peerd.lifecycle.PeerLifecycleModelCheckTest.finish;
import static io.peerd.lifecycle.PeerLifecycleModelCheckTest.handshake;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.testing.FakePeer;
import io.peerd.testing.TestChains;
import org.junit.jupiter.api.Test;

/**
 * The block storm of seed 001 on the real actors. That it bites is shown on the shipped code:
 * bin/prove-reversions puts blocking mailboxes back (001-mailboxes-block-when-full) and this
 * check finds the deadlock.
 */
class BlockStormModelCheckTest {
  static final int SCHEDULES = 300;
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
