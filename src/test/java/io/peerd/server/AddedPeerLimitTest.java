package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.node.Node;
import io.peerd.testing.Closer;
import io.peerd.testing.HangingAddress;
import io.peerd.testing.TestNodes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RPC addnode cannot grow the server past the bound every mailbox is sized from
 * ({@link ServerConfig#maxPeers}): as Core's MAX_ADDNODE_CONNECTIONS, eight added peers and,
 * apart from them, eight onetry connections or dials; the ninth is refused with Core's code -34.
 */
class AddedPeerLimitTest {
  @TempDir
  Path dir;

  @Test
  void aNinthAddedPeerIsRefused() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir))) {
      for (int i = 0; i < ServerConfig.MAX_ADDED_PEERS; i++) {
        TestNodes.addNode(node, TestNodes.unusedLoopbackAddress(), Server.AddNodeCommand.ADD);
      }

      assertRefusedForCapacity(node, TestNodes.unusedLoopbackAddress(), Server.AddNodeCommand.ADD);
      assertThat(node.server().state().workers()).hasSize(ServerConfig.MAX_ADDED_PEERS);
    }
  }

  @Test
  void aNinthOnetryWhileEightAreInFlightIsRefused() throws Exception {
    try (Closer hanging = new Closer(); Node node = TestNodes.start(TestNodes.regtest(dir))) {
      for (int i = 0; i < ServerConfig.MAX_ADDED_PEERS; i++) {
        InetSocketAddress neverAnswers = hanging.later(HangingAddress.open()).address();
        TestNodes.addNode(node, neverAnswers, Server.AddNodeCommand.ONETRY);
      }

      assertRefusedForCapacity(node, hanging.later(HangingAddress.open()).address(), Server.AddNodeCommand.ONETRY);
      TestNodes.addNode(node, TestNodes.unusedLoopbackAddress(), Server.AddNodeCommand.ADD); // counted apart
    }
  }

  private static void assertRefusedForCapacity(Node node, InetSocketAddress address, Server.AddNodeCommand command) {
    assertThatThrownBy(() -> node.server().addNode(address, command).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(RequestRefused.class, refused -> assertThat(refused.code()).isEqualTo(-34));
  }
}
