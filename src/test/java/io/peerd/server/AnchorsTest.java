package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.chain.NetworkParameters;
import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.peer.ConnectionKind;
import io.peerd.testing.Closer;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.RawPeer;
import io.peerd.testing.SpawnedThreads;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's anchors over real sockets: a node that shuts down with two block-relay-only peers dials
 * exactly those first at its next start, as block-relay-only again, and the anchor file is gone.
 * Its candidate peers are listeners in as many network groups (127.N.0.1) as it has outbound
 * slots, since it takes one peer per group: each completes every handshake and stays connected.
 */
class AnchorsTest {
  private static final Duration BOUND = Duration.ofSeconds(20);
  /** 8 full-relay and 2 block-relay-only, one new dial of each kind per one-second tick. */
  private static final int OUTBOUND_SLOTS = 10;

  @TempDir
  Path dir;

  @Test
  void theBlockRelayPeersOfTheLastRunAreDialedFirstAsBlockRelay() throws Exception {
    NodeConfig config = TestNodes.regtest(dir).withServer(ServerConfig.defaults(null, List.of(), false));
    Path anchorFile = config.networkDirectory().resolve("anchors.dat");
    SpawnedThreads acceptors = new SpawnedThreads();
    ConcurrentLinkedQueue<RawPeer> connected = new ConcurrentLinkedQueue<>();
    try (Closer closer = new Closer()) {
      List<RawPeer.Listener> listeners = new ArrayList<>();
      for (int group = 0; group < OUTBOUND_SLOTS; group++) {
        listeners.add(listen(closer, 11 + group));
      }
      listeners.forEach(l -> acceptors.spawn("accept " + l.address(), () -> acceptAll(l, connected)));
      Set<InetSocketAddress> anchors;
      try (Node node = TestNodes.start(config)) {
        NodeRpcClient rpc = NodeRpcClient.of(node);
        for (RawPeer.Listener listener : listeners) {
          rpc.call("addpeeraddress", listener.address().getAddress().getHostAddress(), listener.address().getPort());
        }
        anchors = await("two block-relay-only peers").atMost(BOUND)
            .until(() -> blockRelayPeers(node), peers -> peers.size() == 2);
      }
      assertThat(anchorFile).exists();

      try (Node restarted = TestNodes.start(config)) {
        assertThat(await("the anchors dialed again").atMost(BOUND)
            .until(() -> blockRelayPeers(restarted), peers -> peers.size() == 2)).isEqualTo(anchors);
        assertThat(anchorFile).doesNotExist();
      }
      listeners.forEach(l -> closeQuietly(l));
      acceptors.joinAll(BOUND);
      connected.forEach(AnchorsTest::closeQuietly);
    }
  }

  private static Set<InetSocketAddress> blockRelayPeers(Node node) {
    return node.server().state().activePeers().stream().filter(p -> p.kind() == ConnectionKind.OUTBOUND_BLOCK_RELAY)
        .map(ServerState.PeerEntry::identity).collect(Collectors.toSet());
  }

  private static RawPeer.Listener listen(Closer closer, int second) throws Exception {
    InetAddress ip = InetAddress.getByAddress(new byte[] {127, (byte) second, 0, 1});
    return closer.later(RawPeer.listen(ip, NetworkParameters.REGTEST.magic()));
  }

  /** Handshakes every dial and keeps it open, until the listener closes. */
  private static void acceptAll(RawPeer.Listener listener, ConcurrentLinkedQueue<RawPeer> connected) {
    while (true) {
      try {
        Optional<RawPeer> dialed = listener.acceptWithin(200);
        if (dialed.isPresent()) {
          connected.add(dialed.get());
          dialed.get().handshakeAsListener();
        }
      } catch (IOException closedOrReset) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing at the end of the test: nothing left to check
    }
  }
}
