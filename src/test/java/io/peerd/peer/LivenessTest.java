package io.peerd.peer;

import static io.peerd.testing.TestNodes.awaitActive;

import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Message;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pings, pongs and the idle and ping deadlines of a handshaked peer. Each deadline test makes
 * only the deadline under test short (the other stays a minute), so the disconnect it sees can
 * only come from that rule.
 */
class LivenessTest {
  private static final long SHORT_MILLIS = 500;
  private static final long LONG_MILLIS = 60_000;
  private static final long CHECK_INTERVAL_MILLIS = 50;

  @TempDir
  Path dir;

  @Test
  void aPingIsAnsweredWithAPongOfTheSameNonce() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir)); RawPeer remote = RawPeer.connect(node)) {
      remote.handshake();

      remote.expectPingAnswered();
    }
  }

  @Test
  void aSilentPeerIsDisconnectedAfterTheIdleTimeout() throws Exception {
    try (Node node = startNode(LONG_MILLIS, SHORT_MILLIS); RawPeer remote = RawPeer.connect(node)) {
      remote.handshake();
      awaitActive(node, remote.localAddress());

      remote.awaitClosed();
    }
  }

  @Test
  void aPeerThatNeverAnswersOurPingIsDisconnectedAfterThePingTimeout() throws Exception {
    try (Node node = startNode(SHORT_MILLIS, LONG_MILLIS); RawPeer remote = RawPeer.connect(node)) {
      remote.handshake();
      awaitActive(node, remote.localAddress());

      remote.expect(Message.Ping.class);
      remote.awaitClosed();
    }
  }

  /** A node that pings at once after the handshake and checks its deadlines every 50 ms. */
  private Node startNode(long pingTimeoutMillis, long idleTimeoutMillis) throws Exception {
    NodeConfig config = TestNodes.regtest(dir);
    PeerConfig peer = config.peer().withTimeouts(config.peer().handshakeTimeoutMillis(), LONG_MILLIS,
        pingTimeoutMillis, idleTimeoutMillis, CHECK_INTERVAL_MILLIS);
    return TestNodes.start(config.withPeer(peer));
  }
}
