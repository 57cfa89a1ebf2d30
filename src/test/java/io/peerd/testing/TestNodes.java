package io.peerd.testing;

import static org.awaitility.Awaitility.await;

import io.peerd.chain.Address;
import io.peerd.chain.InvalidAddressException;
import io.peerd.chain.NetworkParameters;
import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.server.Server;
import io.peerd.server.ServerConfig;
import io.peerd.server.ServerState;
import io.peerd.wire.Hash;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** In-process nodes (regtest unless told) on 127.0.0.1 with free ports, for integration tests. */
public final class TestNodes {
  /** A valid regtest address (BIP173's test vector program with the regtest prefix). */
  public static final String REGTEST_ADDRESS = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
  public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
  /** How long to wait for something a node should do at once (answer, close, register). */
  public static final Duration PROMPTLY = Duration.ofSeconds(5);
  private static final int MAX_PORT_ATTEMPTS = 100;

  private TestNodes() {}

  /** Regtest, listening on 127.0.0.1 (free port), RPC on a free port, data in {@code dir}. */
  public static NodeConfig regtest(Path dir) {
    return onLoopback(NetworkParameters.REGTEST, dir);
  }

  /**
   * Any network, listening on 127.0.0.1 (free port), RPC on a free port, data in {@code dir}. It
   * dials only the peers a test names (as --connect): no DNS seeds, and no address it learns by
   * gossip, so nodes of one test do not connect to each other unasked. Tests of automatic
   * outbound connections give a server configuration of their own.
   */
  public static NodeConfig onLoopback(NetworkParameters params, Path dir) {
    return NodeConfig.defaults(params, dir)
        .withListen(new InetSocketAddress("127.0.0.1", 0))
        .withRpc("127.0.0.1", 0, Optional.empty())
        .withServer(ServerConfig.defaults(null, List.of(), true));
  }

  /** Like {@link #regtest} but dialing only {@code peers} (as --connect). */
  public static NodeConfig connectedTo(Path dir, InetSocketAddress... peers) {
    NodeConfig config = regtest(dir);
    return config.withServer(ServerConfig.defaults(null, List.of(peers), true));
  }

  public static Node start(NodeConfig config) throws Exception {
    Node node = Node.open(config);
    try {
      node.start();
    } catch (Exception e) {
      node.close();
      throw e;
    }
    return node;
  }

  /**
   * A port nothing listens on right now (bound once on 127.0.0.1, then released), never the same
   * twice in a JVM until {@link FixedPorts} has handed out all of its (over 12,000). It lies below the kernel's ephemeral range: a port from that range (what a
   * bind to port 0 returns) is also the local port of outgoing connections, and one of those can
   * take it between this check and the test's own bind.
   */
  public static int freePort() throws IOException {
    for (int attempt = 0; attempt < MAX_PORT_ATTEMPTS; attempt++) {
      int port = FixedPorts.next();
      if (FixedPorts.bindable(port)) {
        return port;
      }
    }
    throw new IOException("no free port below the ephemeral range after " + MAX_PORT_ATTEMPTS + " attempts");
  }

  /** RPC addnode as the node's server answers it, waiting {@link #PROMPTLY} at most. */
  public static void addNode(Node node, InetSocketAddress peer, Server.AddNodeCommand command) throws Exception {
    node.server().addNode(peer, command).get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** An address on 127.0.0.1 nothing listens on right now: a peer that cannot be reached. */
  public static InetSocketAddress unusedLoopbackAddress() throws IOException {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort());
  }

  public static byte[] regtestScript() {
    try {
      return Address.toScriptPubKey(REGTEST_ADDRESS, NetworkParameters.REGTEST);
    } catch (InvalidAddressException e) {
      throw new AssertionError(e);
    }
  }

  /** Mines {@code blocks} on {@code node} and returns their hashes. */
  public static List<Hash> mine(Node node, int blocks) throws Exception {
    return node.chainActor().generate(blocks, regtestScript()).get(5, TimeUnit.MINUTES);
  }

  /** Waits until {@code follower}'s tip is {@code tip}. */
  public static void awaitTip(Node follower, Hash tip, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(20))
        .until(() -> follower.snapshot().tip().hash().equals(tip));
  }

  public static void awaitTip(Node follower, Node leader) {
    awaitTip(follower, leader.snapshot().tip().hash(), SYNC_TIMEOUT);
  }

  /** The node's connection (handshaking or active) whose remote end is {@code remote}, if any. */
  public static Optional<ServerState.PeerEntry> peerAt(Node node, InetSocketAddress remote) {
    return node.server().state().peers().stream()
        .filter(entry -> entry.peer().remoteAddress().equals(remote))
        .findFirst();
  }

  /** Waits until the node's connection with {@code remote} completed its handshake. */
  public static ServerState.PeerEntry awaitActive(Node node, InetSocketAddress remote) {
    return await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(10))
        .until(() -> peerAt(node, remote).filter(ServerState.PeerEntry::active), Optional::isPresent)
        .orElseThrow();
  }

  /** Waits until the node has no connection with {@code remote}: closed and reported done. */
  public static void awaitNoPeerAt(Node node, InetSocketAddress remote) {
    await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(10)).until(() -> peerAt(node, remote).isEmpty());
  }

  /** Waits until the node has {@code count} connections, handshaking or active. */
  public static void awaitPeerCount(Node node, int count) {
    await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(10))
        .until(() -> node.server().state().peers().size() == count);
  }
}
