package io.peerd.peer;

import static io.peerd.testing.TestNodes.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.server.Server;
import io.peerd.testing.RawPeer;
import io.peerd.testing.RawPeer.VersionFields;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Message;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The version/verack handshake against a real node over 127.0.0.1, played by a {@link RawPeer}.
 * Each test has its own node: every connection comes from 127.0.0.1, so one test's
 * discouragement or limits must not reach another.
 */
class HandshakeTest {
  /** Short enough to wait for in a test; the other timeouts stay Bitcoin Core's (minutes). */
  private static final long HANDSHAKE_TIMEOUT_MILLIS = 500;

  @TempDir
  Path dir;

  private Node startNode() throws Exception {
    return TestNodes.start(TestNodes.regtest(dir));
  }

  @ParameterizedTest(name = "protocol {0}")
  @ValueSource(ints = {PeerConfig.MIN_PEER_PROTOCOL_VERSION, PeerConfig.PROTOCOL_VERSION})
  void inboundHandshakeCompletesWithVersionAndVerackAndThePeerBecomesActive(int protocolVersion) throws Exception {
    try (Node node = startNode(); RawPeer remote = RawPeer.connect(node)) {
      Message.Version theirs = remote.handshake(VersionFields.defaults().withProtocolVersion(protocolVersion));

      assertThat(theirs.protocolVersion()).isEqualTo(PeerConfig.PROTOCOL_VERSION);
      assertThat(theirs.startHeight()).isEqualTo(node.snapshot().tipHeight());
      assertThat(awaitActive(node, remote.localAddress()).kind()).isEqualTo(ConnectionKind.INBOUND);
    }
  }

  @Test
  void aFirstMessageOtherThanVersionIsDisconnected() throws Exception {
    try (Node node = startNode(); RawPeer remote = RawPeer.connect(node)) {
      remote.sendVerack();

      assertThat(remote.awaitClosed()).isEmpty();
    }
  }

  @Test
  void aProtocolVersionBelow70002IsDisconnected() throws Exception {
    try (Node node = startNode(); RawPeer remote = RawPeer.connect(node)) {
      remote.sendVersion(VersionFields.defaults().withProtocolVersion(PeerConfig.MIN_PEER_PROTOCOL_VERSION - 1));

      assertThat(remote.awaitClosed()).isEmpty();
    }
  }

  @Test
  void sendaddrv2AndWtxidrelayBetweenVersionAndVerackAreAccepted() throws Exception {
    try (Node node = startNode(); RawPeer remote = RawPeer.connect(node)) {
      remote.sendVersion().send(new Message.SendAddrV2()).send(new Message.WtxidRelay());
      remote.expect(Message.Version.class);
      remote.expectVerack();
      remote.sendVerack();

      awaitActive(node, remote.localAddress());
      remote.expectPingAnswered();
    }
  }

  @Test
  void aRepeatedVersionOrVerackAfterTheHandshakeIsIgnored() throws Exception {
    try (Node node = startNode(); RawPeer remote = RawPeer.connect(node)) {
      remote.handshake();
      awaitActive(node, remote.localAddress());

      remote.sendVersion().sendVerack();

      remote.expectPingAnswered(); // read after the duplicates: the connection survived them
      assertThat(TestNodes.peerAt(node, remote.localAddress())).isPresent();
    }
  }

  // ---------------------------------------------------------------- handshake timeout

  @Test
  void aPeerThatSendsNothingIsDisconnectedAtTheHandshakeTimeoutButNotDiscouraged() throws Exception {
    assertHandshakeTimeoutDisconnectsWithoutDiscouraging(remote -> { });
  }

  @Test
  void aPeerThatSendsOnlyVersionIsDisconnectedAtTheHandshakeTimeoutButNotDiscouraged() throws Exception {
    assertHandshakeTimeoutDisconnectsWithoutDiscouraging(RawPeer::sendVersion);
  }

  private interface Script {
    void play(RawPeer remote) throws Exception;
  }

  private void assertHandshakeTimeoutDisconnectsWithoutDiscouraging(Script unfinishedHandshake) throws Exception {
    NodeConfig config = TestNodes.regtest(dir);
    PeerConfig peer = config.peer();
    PeerConfig shortHandshake = peer.withTimeouts(HANDSHAKE_TIMEOUT_MILLIS, peer.pingIntervalMillis(),
        peer.pingTimeoutMillis(), peer.idleTimeoutMillis(), peer.checkIntervalMillis());
    try (Node node = TestNodes.start(config.withPeer(shortHandshake))) {
      try (RawPeer slow = RawPeer.connect(node)) {
        unfinishedHandshake.play(slow);
        slow.awaitClosed();
      }
      try (RawPeer again = RawPeer.connect(node)) {
        again.handshake();
        awaitActive(node, again.localAddress());
      }
    }
  }

  // ---------------------------------------------------------------- outbound

  @Test
  void onOutboundConnectionsOurVersionGoesFirst() throws Exception {
    try (Node node = startNode(); RawPeer.Listener listener = RawPeer.listen()) {
      node.server().addNode(listener.address(), Server.AddNodeCommand.ONETRY).get();
      try (RawPeer remote = listener.accept()) {
        assertThat(remote.next()).isInstanceOf(Message.Version.class);

        remote.sendVersion().sendVerack();
        remote.expectVerack();
        assertThat(awaitActive(node, listener.address()).kind()).isEqualTo(ConnectionKind.ONE_TRY);
      }
    }
  }

  @ParameterizedTest(name = "services {0}")
  @ValueSource(longs = {0, Services.NODE_NETWORK, Services.NODE_WITNESS,
      Services.NODE_NETWORK_LIMITED | Services.NODE_WITNESS})
  void anOutboundPeerWithoutNetworkAndWitnessServicesIsDisconnected(long services) throws Exception {
    try (Node node = startNode(); RawPeer.Listener listener = RawPeer.listen()) {
      node.server().addNode(listener.address(), Server.AddNodeCommand.ONETRY).get();
      try (RawPeer remote = listener.accept()) {
        remote.expect(Message.Version.class);
        remote.sendVersion(VersionFields.defaults().withServices(services));

        assertThat(remote.awaitClosed()).isEmpty(); // no verack: refused before it
      }
    }
  }
}
