package io.peerd.lifecycle;

import static io.peerd.lifecycle.ModelCheck.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.sync.SyncState;
import io.peerd.testing.FakePeer;
import org.junit.jupiter.api.Test;

/**
 * Seed 000 under a model checker: for every explored interleaving of handshake completion,
 * disconnect, handshake timeout and the server's processing, the sync manager sees "added"
 * before "done", each at most once per peer, and never ends with a disconnected peer as its
 * sync peer or as a candidate. The real server, sync manager and lifecycle task run; only the
 * sockets are fake.
 */
class PeerLifecycleModelCheckTest {
  static final int SCHEDULES = 500;

  @Test
  void handshakeDisconnectAndTimeoutInAnyOrder() {
    ModelCheck.Outcome outcome = ModelCheck.explore(SCHEDULES, () -> lifecycleRace(ActorSystem.Wiring.FIXED));
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void handshakeCompletionSignalledTwice() {
    ModelCheck.Outcome outcome = ModelCheck.explore(SCHEDULES, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      system.start();
      FakePeer peer = system.connect();
      peer.sendVersionAndAwaitAdmission(system.server);
      concurrently(peer::completeHandshake, peer::completeHandshake, () -> peer.disconnect("closed"));
      finish(system, peer);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void handshakeCompletionAndDisconnectReadyAtTheSameInstant() {
    ModelCheck.Outcome outcome = ModelCheck.explore(SCHEDULES, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      FakePeer peer = system.connect(); // queued: the lifecycle task starts once the server runs
      peer.sendVersion(system.server);
      concurrently(peer::completeHandshake, () -> peer.disconnect("closed"));
      system.start(); // the task now finds both signals already set, in either order
      finish(system, peer);
    });
    assertThat(outcome.failure()).isNull();
  }

  /** Two peers: one races handshake, disconnect and timeout; the other lives a normal life meanwhile. */
  static void lifecycleRace(ActorSystem.Wiring wiring) throws Exception {
    ActorSystem system = new ActorSystem(wiring);
    system.start();
    FakePeer racing = system.connect();
    FakePeer normal = system.connect();
    concurrently(
        () -> handshake(system, racing),
        () -> racing.disconnect("peer closed"),
        () -> racing.disconnect("handshake timeout"),
        () -> {
          handshake(system, normal);
          normal.disconnect("peer closed");
        });
    finish(system, racing, normal);
  }

  static void handshake(ActorSystem system, FakePeer peer) {
    if (peer.sendVersionAndAwaitAdmission(system.server)) {
      peer.completeHandshake();
    }
  }

  /** Every peer is closed: once all is handled, no actor failed and sync holds nothing. */
  static void finish(ActorSystem system, FakePeer... peers) throws InterruptedException {
    for (FakePeer peer : peers) {
      peer.awaitDone();
    }
    system.drainAndStop();
    SyncState state = system.sync.state();
    if (system.failures() != 0 || !state.peerIds().isEmpty() || state.syncPeerId() != -1) {
      throw new AssertionError("after every peer closed: " + system.failures() + " actor failures, sync state " + state);
    }
  }
}
