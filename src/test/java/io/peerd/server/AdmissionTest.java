package io.peerd.server;

import static io.peerd.testing.TestNodes.awaitActive;
import static io.peerd.testing.TestNodes.awaitPeerCount;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.testing.Closer;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TcpRelay;
import io.peerd.testing.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which connections the server lets live: inbound limits, the per-network limit on unfinished
 * handshakes, and connections to ourselves. Every test has its own node; the handshake timeout
 * stays a minute, so a connection closed within the test's wait was refused, not timed out.
 */
class AdmissionTest {
  private static final int MAX_INBOUND = 3;
  private static final int MAX_HANDSHAKING_PER_NET_GROUP = 8;

  @TempDir
  Path dir;

  @AutoClose
  private final Closer closer = new Closer();

  @Test
  void theInboundConnectionPastMaxInboundIsClosedWithoutHandshake() throws Exception {
    NodeConfig config = TestNodes.regtest(dir);
    Node node = start(config.withServer(config.server().withMaxInbound(MAX_INBOUND)));
    for (int i = 0; i < MAX_INBOUND; i++) {
      RawPeer remote = connect(node);
      remote.handshake();
      awaitActive(node, remote.localAddress());
    }

    assertThat(connect(node).awaitClosed()).isEmpty();
    assertThat(node.server().state().peers()).hasSize(MAX_INBOUND);
  }

  @Test
  void atMostEightUnfinishedInboundHandshakesFromOneNetGroup() throws Exception {
    Node node = start(TestNodes.regtest(dir));
    List<RawPeer> silent = new ArrayList<>();
    for (int i = 0; i < MAX_HANDSHAKING_PER_NET_GROUP; i++) {
      silent.add(connect(node));
    }
    awaitPeerCount(node, MAX_HANDSHAKING_PER_NET_GROUP);

    assertThat(connect(node).awaitClosed()).isEmpty();
    assertThat(node.server().state().peers()).hasSize(MAX_HANDSHAKING_PER_NET_GROUP);

    RawPeer finishing = silent.getFirst();
    finishing.handshake();
    awaitActive(node, finishing.localAddress());
    connect(node);
    awaitPeerCount(node, MAX_HANDSHAKING_PER_NET_GROUP + 1); // a finished handshake frees its slot
  }

  @Test
  void aNodeDialingItselfThroughAnotherAddressClosesBothConnections() throws Exception {
    Node node = start(TestNodes.regtest(dir));
    TcpRelay ownAddressElsewhere = closer.later(TcpRelay.to(node.p2pAddress()));

    TestNodes.addNode(node, ownAddressElsewhere.address(), Server.AddNodeCommand.ONETRY);

    ownAddressElsewhere.awaitBothEndsClosed();
    awaitPeerCount(node, 0);
  }

  private Node start(NodeConfig config) throws Exception {
    return closer.later(TestNodes.start(config));
  }

  private RawPeer connect(Node node) throws Exception {
    return closer.later(RawPeer.connect(node));
  }
}
