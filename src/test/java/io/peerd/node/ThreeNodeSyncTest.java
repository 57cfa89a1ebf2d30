package io.peerd.node;

import static io.peerd.testing.TestNodes.awaitTip;
import static io.peerd.testing.TestNodes.mine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.server.ServerState;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Hash;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One producer, two followers; the sync peer dies mid-download and sync completes from the other. */
class ThreeNodeSyncTest {
  private static final int BLOCKS = 6_000;
  private static final int KILL_AT_HEIGHT = 1_500;

  @TempDir
  Path dir;

  @Test
  void syncCompletesFromAnotherPeerWhenTheSyncPeerDies() throws Exception {
    Node producer = TestNodes.start(TestNodes.regtest(dir.resolve("producer")));
    Node relay = TestNodes.start(TestNodes.connectedTo(dir.resolve("relay"), producer.p2pAddress()));
    try {
      Hash tip = mine(producer, BLOCKS).getLast();
      awaitTip(relay, producer);
      try (Node late = TestNodes.start(TestNodes.connectedTo(dir.resolve("late"), producer.p2pAddress(),
          relay.p2pAddress()))) {
        await().atMost(TestNodes.SYNC_TIMEOUT).pollInterval(Duration.ofMillis(1))
            .until(() -> late.snapshot().tipHeight() >= KILL_AT_HEIGHT);
        Node syncSource = nodeListeningAt(syncPeerAddress(late), producer, relay);
        int heightAtKill = late.snapshot().tipHeight();
        syncSource.close();
        assertThat(heightAtKill).as("the sync peer died mid-download").isLessThan(BLOCKS);
        awaitTip(late, tip, TestNodes.SYNC_TIMEOUT);
        assertThat(late.syncManager().state().peerIds()).hasSize(1);
      }
    } finally {
      relay.close();
      producer.close();
    }
  }

  private static InetSocketAddress syncPeerAddress(Node node) {
    long syncPeerId = node.syncManager().state().syncPeerId();
    return node.server().state().peers().stream().filter(e -> e.peer().id() == syncPeerId)
        .map(ServerState.PeerEntry::identity).findFirst().orElseThrow();
  }

  private static Node nodeListeningAt(InetSocketAddress address, Node... nodes) {
    for (Node node : nodes) {
      if (node.p2pAddress().equals(address)) {
        return node;
      }
    }
    throw new AssertionError("no node listens at " + address);
  }
}
