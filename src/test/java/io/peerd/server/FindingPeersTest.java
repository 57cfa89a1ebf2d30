package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.addrman.RoutingPolicy;
import io.peerd.chain.NetworkParameters;
import io.peerd.discovery.DnsSeeds;
import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.testing.Closer;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding peers over real sockets, all on 127.0.0.0/8: a mainnet node whose DNS resolver is the
 * test's finds a peer through Core's seed names; a regtest node spreads its outbound connections
 * over network groups (that a regtest node never dials a public address is checked without a
 * node, in {@code AddressBookTest}: a regression must not be able to dial out of the machine).
 */
class FindingPeersTest {
  /** Ticks are a second: a few of them without a dial mean the node chose not to. */
  private static final int QUIET_MILLIS = 3_000;
  private static final int MAX_ADD_ATTEMPTS = 8;

  @TempDir
  Path dir;

  /**
   * The seeds answer with addresses alone, which a node dials at the network's port: the listener
   * is on 127.3.0.1:8333, a loopback address no other test uses.
   */
  @Test
  void aMainnetNodeFindsItsFirstPeerThroughTheDnsSeeds() throws Exception {
    NetworkParameters mainnet = NetworkParameters.MAINNET;
    InetSocketAddress seededPeer = new InetSocketAddress(ip(127, 3, 0, 1), mainnet.defaultPort());
    try (Closer closer = new Closer(); RawPeer.Listener seeded = RawPeer.listen(seededPeer, mainnet.magic())) {
      List<String> asked = new CopyOnWriteArrayList<>();
      NodeConfig config = TestNodes.onLoopback(mainnet, dir)
          .withServer(ServerConfig.defaults(null, List.of(), false).withDiscovery(ServerConfig.Discovery.NONE
              .withDnsSeeds(DnsSeeds.of(mainnet)).withRoutingPolicy(RoutingPolicy.PERMISSIVE)))
          .withResolver(host -> {
            asked.add(host);
            return List.of(seededPeer.getAddress()); // every seed names the one loopback listener
          });
      closer.later(TestNodes.start(config));

      RawPeer dialed = closer.later(seeded.accept()).handshakeAsListener();
      dialed.expectPingAnswered();
      org.awaitility.Awaitility.await().atMost(TestNodes.PROMPTLY)
          .until(() -> asked.size() == DnsSeeds.of(mainnet).size());
      assertThat(asked).containsExactlyInAnyOrderElementsOf(DnsSeeds.of(mainnet));
    }
  }

  @Test
  void outboundPeersComeFromDistinctGroups() throws Exception {
    int magic = NetworkParameters.REGTEST.magic();
    try (Closer closer = new Closer()) {
      Node node = closer.later(TestNodes.start(TestNodes.regtest(dir)
          .withServer(ServerConfig.defaults(null, List.of(), false))));
      NodeRpcClient rpc = NodeRpcClient.of(node);
      RawPeer.Listener sameGroupA = listenKnown(rpc, closer, ip(127, 1, 0, 1), magic);
      RawPeer.Listener sameGroupB = listenKnown(rpc, closer, ip(127, 1, 0, 2), magic);
      RawPeer.Listener otherGroup = listenKnown(rpc, closer, ip(127, 2, 0, 1), magic);

      closer.later(otherGroup.accept()).handshakeAsListener();
      Optional<RawPeer> a = sameGroupA.acceptWithin(QUIET_MILLIS);
      Optional<RawPeer> b = sameGroupB.acceptWithin(QUIET_MILLIS);
      a.ifPresent(closer::later);
      b.ifPresent(closer::later);
      assertThat(a.isPresent() ^ b.isPresent()).as("exactly one dial into 127.1.0.0/16").isTrue();
    }
  }

  /** --seednode: Core's addr-fetch connection, asked for addresses and left once they came. */
  @Test
  void aSeedNodeIsAskedForAddressesThenLeft() throws Exception {
    try (Closer closer = new Closer()) {
      RawPeer.Listener seedNode = closer.later(RawPeer.listen());
      Node node = closer.later(TestNodes.start(TestNodes.regtest(dir).withServer(ServerConfig.defaults(null,
          List.of(), false).withDiscovery(ServerConfig.Discovery.NONE.withSeedNodes(List.of(seedNode.address()))))));

      RawPeer seed = closer.later(seedNode.accept()).handshakeAsListener();
      seed.expect(Message.GetAddr.class);
      long now = System.currentTimeMillis() / 1000;
      seed.send(new Message.Addr(List.of(
          new Message.TimedAddress(now, io.peerd.wire.NetworkAddress.of(new InetSocketAddress(ip(127, 5, 0, 1), 18444), 9)),
          new Message.TimedAddress(now, io.peerd.wire.NetworkAddress.of(new InetSocketAddress(ip(127, 6, 0, 1), 18444), 9)))));

      seed.awaitClosed();
      // Both come from one source, so the second may land on the first's place in the "new" table
      // and be dropped, as in Core (CI saw that once): the first is always kept.
      assertThat(NodeRpcClient.of(node).call("getnodeaddresses", 0).findValuesAsText("address"))
          .contains("127.5.0.1").isSubsetOf("127.5.0.1", "127.6.0.1");
    }
  }

  /** With no DNS seed, seed node nor added peer, an empty address book takes the fixed seeds at once. */
  @Test
  void aNodeWithNothingElseDialsAFixedSeed() throws Exception {
    try (Closer closer = new Closer()) {
      RawPeer.Listener fixedSeed = closer.later(RawPeer.listen());
      closer.later(TestNodes.start(TestNodes.regtest(dir).withServer(ServerConfig.defaults(null, List.of(), false)
          .withDiscovery(ServerConfig.Discovery.NONE.withFixedSeeds(List.of(fixedSeed.address()))))));

      closer.later(fixedSeed.accept()).handshakeAsListener().expectPingAnswered();
    }
  }

  /**
   * A listener on {@code ip} whose address the node's book holds. Addresses of one group from one
   * source share a "new" bucket, so one in 64 lands on a taken position and is not added (as in
   * Core): then another port is tried.
   */
  private static RawPeer.Listener listenKnown(NodeRpcClient rpc, Closer closer, InetAddress ip, int magic)
      throws Exception {
    for (int attempt = 0; attempt < MAX_ADD_ATTEMPTS; attempt++) {
      RawPeer.Listener listener = RawPeer.listen(ip, magic);
      InetSocketAddress address = listener.address();
      if (rpc.call("addpeeraddress", address.getAddress().getHostAddress(), address.getPort())
          .path("success").asBoolean()) {
        return closer.later(listener);
      }
      listener.close();
    }
    throw new AssertionError("no port on " + ip + " found a free place in the address book");
  }

  private static InetAddress ip(int a, int b, int c, int d) throws Exception {
    return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }
}
