package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.actor.Watchdog;
import io.peerd.peer.ConnectionKind;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncState;
import io.peerd.testing.StubPeer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The symptoms the node's watchdog looks for, from the published server and sync state. */
class NodeHealthTest {
  private static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 18444);
  private static final long NOW_NANOS = TimeUnit.SECONDS.toNanos(100);

  private final AtomicReference<SyncState> sync = new AtomicReference<>(syncState(-1, false));
  private final AtomicReference<List<ServerState.PeerEntry>> peers = new AtomicReference<>(List.of());
  private final NodeHealth health = new NodeHealth(sync::get, Thread::currentThread, peers::get, () -> NOW_NANOS);

  @Test
  void aHealthyNodeHasNoSymptom() {
    peers.set(List.of(active(new StubPeer(1, ConnectionKind.OUTBOUND_FULL, REMOTE, 1))));
    sync.set(syncState(1, false));

    assertThat(health.symptoms()).isEmpty();
  }

  /** Seed 000: the sync manager kept a peer the server no longer has. */
  @Test
  void aSyncPeerThatIsNotALivePeerIsASymptom() {
    peers.set(List.of(active(new StubPeer(1, ConnectionKind.OUTBOUND_FULL, REMOTE, 1))));
    sync.set(syncState(2, false));

    assertThat(health.symptoms()).extracting(Watchdog.Symptom::subject).containsExactly("sync peer 2");
  }

  @Test
  void beingBehindWithNothingAskedIsASymptom() {
    sync.set(syncState(-1, true));

    assertThat(health.symptoms()).singleElement().satisfies(symptom -> {
      assertThat(symptom.subject()).isEqualTo("sync");
      assertThat(symptom.threads()).containsExactly(Thread.currentThread());
    });
  }

  @Test
  void aPeerWhoseThreadsOutliveItsCloseIsASymptomWithThoseThreads() {
    long closedAt = NOW_NANOS - TimeUnit.SECONDS.toNanos(30);
    StubPeer closing = new StubPeer(3, ConnectionKind.INBOUND, REMOTE, 3, closedAt, List.of(Thread.currentThread()));
    StubPeer closedCleanly = new StubPeer(4, ConnectionKind.INBOUND, REMOTE, 4, closedAt, List.of());
    peers.set(List.of(active(closing), active(closedCleanly)));

    assertThat(health.symptoms()).singleElement().satisfies(symptom -> {
      assertThat(symptom.subject()).isEqualTo("peer 3 127.0.0.1:18444");
      assertThat(symptom.detail()).contains("30000 ms");
      assertThat(symptom.threads()).containsExactly(Thread.currentThread());
    });
  }

  private static ServerState.PeerEntry active(StubPeer peer) {
    return new ServerState.PeerEntry(peer, peer.kind(), peer.remoteAddress(), true);
  }

  private static SyncState syncState(long syncPeerId, boolean behindWithNothingAsked) {
    return new SyncState(syncPeerId, List.of(), 0, 0, Map.of(), behindWithNothingAsked);
  }
}
