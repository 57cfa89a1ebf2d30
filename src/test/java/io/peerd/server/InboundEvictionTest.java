package io.peerd.server;

import static io.peerd.testing.TestNodes.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.node.Node;
import io.peerd.peer.ConnectionKind;
import io.peerd.testing.Closer;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's attack over real sockets: 125 silent sockets, each from a /24 of its own (loopback
 * addresses 127.0.N.1), fill every inbound slot. An honest peer that connects next evicts one of
 * them and completes its handshake at once; so does the next, and the first stays (its ping
 * and blocks protect it, the silent ones have neither).
 */
class InboundEvictionTest {
  private static final int SILENT_SOCKETS = 125;

  @TempDir
  Path dir;

  @Test
  void silentSocketsFromManyNetworksDoNotKeepHonestPeersOut() throws Exception {
    try (Closer sockets = new Closer(); Node node = TestNodes.start(TestNodes.regtest(dir))) {
      assertThat(node.config().server().maxInbound()).isEqualTo(SILENT_SOCKETS);
      List<Socket> silent = new ArrayList<>();
      for (int i = 0; i < SILENT_SOCKETS; i++) {
        silent.add(sockets.later(silentFrom(ip(0, i + 1), node)));
      }
      await("every slot taken").atMost(TestNodes.PROMPTLY)
          .until(() -> inbound(node), count -> count == SILENT_SOCKETS);

      RawPeer honest = sockets.later(RawPeer.connectFrom(ip(1, 1), node));
      honest.handshake();
      honest.expectPingAnswered();
      awaitActive(node, honest.localAddress());
      RawPeer next = sockets.later(RawPeer.connectFrom(ip(2, 1), node));
      next.handshake();
      next.expectPingAnswered();

      honest.expectPingAnswered();
      await("two silent sockets evicted").atMost(TestNodes.PROMPTLY)
          .until(() -> silent.stream().filter(InboundEvictionTest::closedByPeer).count() == 2);
      await("the evicted connections gone from the server").atMost(TestNodes.PROMPTLY)
          .until(() -> inbound(node), count -> count == SILENT_SOCKETS);
    }
  }

  private static InetAddress ip(int second, int third) throws Exception {
    return InetAddress.getByAddress(new byte[] {127, (byte) second, (byte) third, 1});
  }

  private static Socket silentFrom(InetAddress local, Node node) throws Exception {
    Socket socket = new Socket();
    socket.bind(new java.net.InetSocketAddress(local, 0));
    socket.connect(node.p2pAddress(), 5_000);
    socket.setSoTimeout(1);
    return socket;
  }

  /** The node closed this silent socket: a read sees the end of the stream. */
  private static boolean closedByPeer(Socket socket) {
    try {
      return socket.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (java.io.IOException reset) {
      return true;
    }
  }

  private static long inbound(Node node) {
    return node.server().state().peers().stream().filter(p -> p.kind() == ConnectionKind.INBOUND).count();
  }
}
