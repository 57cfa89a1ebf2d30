package io.peerd.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.peerd.node.Node;
import io.peerd.server.Server;
import io.peerd.testing.LogGate;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Message;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which peer the node syncs headers from: only one that claims more than we have, outbound first. */
class SyncPeerChoiceTest {
  private static final int TIP_HEIGHT = 5;

  @TempDir
  Path dir;
  private Node node;

  @BeforeEach
  void startNodeAtItsTip() throws Exception {
    node = TestNodes.start(TestNodes.regtest(dir));
    TestNodes.mine(node, TIP_HEIGHT);
  }

  @AfterEach
  void stopNode() {
    node.close();
  }

  @Test
  void aPeerWithNoMoreThanWeHaveNeverBecomesTheSyncPeer() throws Exception {
    try (RawPeer behind = RawPeer.connect(node); RawPeer level = RawPeer.connect(node)) {
      behind.handshake(RawPeer.VersionFields.defaults().withStartHeight(0));
      level.handshake(RawPeer.VersionFields.defaults().withStartHeight(TIP_HEIGHT));
      behind.expectPingAnswered();
      level.expectPingAnswered();
      await().atMost(TestNodes.PROMPTLY).until(() -> node.syncManager().state().peerIds().size() == 2);

      assertThat(node.syncManager().state().syncPeerId()).isEqualTo(-1);
    }
  }

  @Test
  void whenTheSyncPeerLeavesAnOutboundPeerIsPreferredToAnInboundOneThatClaimsMore() throws Exception {
    try (RawPeer.Listener listener = RawPeer.listen(); RawPeer first = RawPeer.connect(node);
        RawPeer inbound = RawPeer.connect(node)) {
      first.handshake(RawPeer.VersionFields.defaults().withStartHeight(TIP_HEIGHT + 30));
      first.expect(Message.GetHeaders.class);
      inbound.handshake(RawPeer.VersionFields.defaults().withStartHeight(TIP_HEIGHT + 40));
      TestNodes.addNode(node, listener.address(), Server.AddNodeCommand.ONETRY);
      try (RawPeer outbound = listener.accept()) {
        outbound.handshake(RawPeer.VersionFields.defaults().withStartHeight(TIP_HEIGHT + 20));
        await().atMost(TestNodes.PROMPTLY).until(() -> node.syncManager().state().peerIds().size() == 3);

        first.close();

        outbound.expect(Message.GetHeaders.class);
        long outboundId = TestNodes.awaitActive(node, listener.address()).peer().id();
        assertThat(node.syncManager().state().syncPeerId()).isEqualTo(outboundId);
      }
    }
  }

  /** Under churn a log line per change is noise: at INFO at most once per progress interval (10 s). */
  @Test
  void changesOfSyncPeerAreLoggedAtInfoAtMostOncePerInterval() throws Exception {
    try (LogGate log = LogGate.record(SyncManager.class, Level.DEBUG)) {
      for (int i = 0; i < 3; i++) {
        try (RawPeer ahead = RawPeer.connect(node)) {
          ahead.handshake(RawPeer.VersionFields.defaults().withStartHeight(TIP_HEIGHT + 10));
          ahead.expect(Message.GetHeaders.class);
        }
        await().atMost(TestNodes.PROMPTLY).until(() -> node.syncManager().state().peerIds().isEmpty());
      }

      assertThat(syncPeerLines(log.messages(Level.INFO))).hasSize(1);
      assertThat(syncPeerLines(log.messages(Level.DEBUG))).hasSize(3);
    }
  }

  private static List<String> syncPeerLines(List<String> messages) {
    return messages.stream().filter(m -> m.startsWith("sync peer is now")).toList();
  }
}
