package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.addrman.AddressManager;
import io.peerd.node.Node;
import io.peerd.testing.Closer;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Message;
import io.peerd.wire.NetworkAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address relay over real sockets, as Core does it: gossip is rate-limited per peer (one token
 * to start, 1,000 more for each getaddr we send), a getaddr answer shows at most 23 % of what we
 * know, and we announce our own listening address to the peers we relay addresses with. The
 * gossiped addresses are on loopback and nothing here lets the node dial them (connect-only).
 */
class AddressRelayTest {
  private static final int GOSSIPED = 50;

  @TempDir
  Path dir;

  @Test
  void anUnaskedPeerGetsOneAddressThroughAndTheRestIsRateLimited() throws Exception {
    try (Node node = startConnectOnly(); RawPeer inbound = RawPeer.connect(node)) {
      inbound.handshake();
      inbound.send(new Message.Addr(gossip(0)));

      JsonNode info = awaitPeerInfo(node, i -> i.path("addr_rate_limited").asInt() > 0);
      assertThat(info.path("addr_processed").asInt()).isOne();
      assertThat(info.path("addr_rate_limited").asInt()).isEqualTo(GOSSIPED - 1);
    }
  }

  @Test
  void thePeerWeAskedAnswersWholeWeAnnounceOurselvesAndAGetaddrAnswerShowsAtMost23Percent() throws Exception {
    try (Closer closer = new Closer(); Node node = startConnectOnly()) {
      RawPeer.Listener listener = closer.later(RawPeer.listen());
      TestNodes.addNode(node, listener.address(), Server.AddNodeCommand.ONETRY);
      RawPeer asked = closer.later(listener.accept()).handshakeAsListener();

      Message.Addr announced = asked.expect(Message.Addr.class);
      assertThat(announced.addresses()).singleElement()
          .satisfies(a -> assertThat(a.address().toSocketAddress()).isEqualTo(node.p2pAddress()));
      asked.expect(Message.GetAddr.class);
      asked.send(new Message.Addr(gossip(0)));
      JsonNode info = awaitPeerInfo(node, i -> i.path("addr_processed").asInt() == GOSSIPED);
      assertThat(info.path("addr_rate_limited").asInt()).isZero();

      RawPeer inbound = closer.later(RawPeer.connect(node));
      inbound.handshake();
      inbound.send(new Message.GetAddr());
      Message.Addr answer = inbound.expect(Message.Addr.class, addr -> addr.addresses().size() > 1);
      int known = NodeRpcClient.of(node).call("getnodeaddresses", 0).size();
      assertThat(known).as("the gossip, less bucket collisions").isBetween(GOSSIPED / 2, GOSSIPED);
      assertThat(answer.addresses()).hasSize(known * AddressManager.GETADDR_MAX_PERCENT / 100);
    }
  }

  /**
   * A fresh address in a small addr message goes on to two other peers, never back to its sender.
   * (The sender, inbound and unasked, has one token: one address.)
   */
  @Test
  void aFreshAddressIsRelayedToTwoOtherPeersAndNotBack() throws Exception {
    try (Closer closer = new Closer(); Node node = startConnectOnly()) {
      RawPeer sender = closer.later(RawPeer.connect(node));
      RawPeer first = closer.later(RawPeer.connect(node));
      RawPeer second = closer.later(RawPeer.connect(node));
      for (RawPeer peer : List.of(sender, first, second)) {
        peer.handshake();
        TestNodes.awaitActive(node, peer.localAddress()); // only active peers are relayed to
      }
      long now = System.currentTimeMillis() / 1000;
      InetSocketAddress fresh = new InetSocketAddress(ip(9, 2), 18444);
      sender.send(new Message.Addr(List.of(new Message.TimedAddress(now, NetworkAddress.of(fresh, 1)))));

      for (RawPeer receiver : List.of(first, second)) {
        receiver.expect(Message.Addr.class,
            addr -> addr.addresses().stream().anyMatch(a -> a.address().toSocketAddress().equals(fresh)));
      }
      assertThat(sender.messagesBeforePong()).as("the relays went out before this pong; none back to the sender")
          .noneMatch(m -> m instanceof Message.Addr addr
              && addr.addresses().stream().anyMatch(a -> a.address().toSocketAddress().equals(fresh)));
    }
  }

  /** A repeat goes the same way as the first relay: to the same two peers, who know it, so to nobody. */
  @Test
  void aRepeatedAddressReachesNoMorePeersThanTheFirstTime() throws Exception {
    try (Closer closer = new Closer(); Node node = startConnectOnly()) {
      RawPeer.Listener listener = closer.later(RawPeer.listen());
      TestNodes.addNode(node, listener.address(), Server.AddNodeCommand.ONETRY);
      RawPeer sender = closer.later(listener.accept()).handshakeAsListener(); // asked: no rate limit
      sender.expect(Message.GetAddr.class);
      List<RawPeer> others = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        RawPeer peer = closer.later(RawPeer.connect(node));
        peer.handshake();
        TestNodes.awaitActive(node, peer.localAddress());
        others.add(peer);
      }
      long now = System.currentTimeMillis() / 1000;
      InetSocketAddress fresh = new InetSocketAddress(ip(9, 3), 18444);
      for (int repeat = 0; repeat < 3; repeat++) {
        sender.send(new Message.Addr(List.of(new Message.TimedAddress(now, NetworkAddress.of(fresh, 1)))));
      }
      sender.expectPingAnswered(); // its reader has passed the three messages to the server
      NodeRpcClient.of(node).call("getnodeaddresses", 0); // the server's mailbox is FIFO: they are handled

      long reached = others.stream().filter(peer -> receivedAddress(peer, fresh)).count();
      assertThat(reached).isEqualTo(AddressRelay.RELAY_TARGETS);
    }
  }

  /** What the address book refuses (here a loopback address under the public networks' policy) is not relayed. */
  @Test
  void anAddressTheBookRefusesIsNotRelayed() throws Exception {
    try (Closer closer = new Closer(); Node node = TestNodes.start(TestNodes.regtest(dir).withServer(
        ServerConfig.defaults(null, List.of(), true).withDiscovery(ServerConfig.Discovery.NONE
            .withRoutingPolicy(io.peerd.addrman.RoutingPolicy.STRICT))))) {
      RawPeer.Listener listener = closer.later(RawPeer.listen());
      TestNodes.addNode(node, listener.address(), Server.AddNodeCommand.ONETRY);
      RawPeer sender = closer.later(listener.accept()).handshakeAsListener();
      sender.expect(Message.GetAddr.class);
      List<RawPeer> others = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        RawPeer peer = closer.later(RawPeer.connect(node));
        peer.handshake();
        TestNodes.awaitActive(node, peer.localAddress());
        others.add(peer);
      }
      InetSocketAddress unroutable = new InetSocketAddress(ip(9, 4), 18444);
      sender.send(new Message.Addr(List.of(new Message.TimedAddress(System.currentTimeMillis() / 1000,
          NetworkAddress.of(unroutable, 1)))));
      sender.expectPingAnswered();
      NodeRpcClient.of(node).call("getnodeaddresses", 0);

      assertThat(others).noneMatch(peer -> receivedAddress(peer, unroutable));
    }
  }

  private static boolean receivedAddress(RawPeer peer, InetSocketAddress address) {
    try {
      return peer.messagesBeforePong().stream().anyMatch(m -> m instanceof Message.Addr addr
          && addr.addresses().stream().anyMatch(a -> a.address().toSocketAddress().equals(address)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Node startConnectOnly() throws Exception {
    return TestNodes.start(TestNodes.regtest(dir).withServer(ServerConfig.defaults(null, List.of(), true)));
  }

  /** {@value #GOSSIPED} loopback addresses, from 127.1.{offset}.1 on. */
  private static List<Message.TimedAddress> gossip(int offset) {
    long now = System.currentTimeMillis() / 1000;
    return IntStream.range(0, GOSSIPED).mapToObj(i -> new Message.TimedAddress(now,
        NetworkAddress.of(new InetSocketAddress(ip(1, offset + i + 1), 18444), 1))).toList();
  }

  private static InetAddress ip(int second, int third) {
    try {
      return InetAddress.getByAddress(new byte[] {127, (byte) second, (byte) third, 1});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode awaitPeerInfo(Node node, Predicate<JsonNode> wanted) {
    NodeRpcClient rpc = NodeRpcClient.of(node);
    return await().atMost(TestNodes.PROMPTLY).until(() -> {
      for (JsonNode peer : rpc.call("getpeerinfo")) {
        if (wanted.test(peer)) {
          return peer;
        }
      }
      return null;
    }, peer -> peer != null);
  }
}
