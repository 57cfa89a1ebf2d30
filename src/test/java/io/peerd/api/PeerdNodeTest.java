package io.peerd.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.peerd.testing.TestNodes;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API over real regtest nodes on 127.0.0.1. */
class PeerdNodeTest {
  private static final String PAY_TO = TestNodes.REGTEST_ADDRESS;
  private static final String OTHER_PAY_TO = "bcrt1qdavt4j2sd7dlhqsavtnfxvzppw6k7qy97tmnu9";
  private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

  @TempDir
  Path dir;

  private final List<PeerdNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    nodes.forEach(PeerdNode::close);
  }

  private PeerdNode node(String name, PeerdNodeBuilder builder) {
    PeerdNode node = builder.network(Network.REGTEST).dataDirectory(dir.resolve(name)).build();
    nodes.add(node);
    return node;
  }

  private static List<NodeEvent> ofKind(ConcurrentLinkedQueue<NodeEvent> events, NodeEvent.Kind kind) {
    return events.stream().filter(e -> e.kind() == kind).toList();
  }

  @Test
  void minedBlocksAreReportedAndReadBack() {
    PeerdNode node = node("a", PeerdNode.builder());
    ConcurrentLinkedQueue<NodeEvent> events = new ConcurrentLinkedQueue<>();
    node.subscribe(events::add);
    node.start();

    List<BlockHash> mined = node.generateToAddress(3, PAY_TO);

    await().atMost(TestNodes.PROMPTLY).until(() -> ofKind(events, NodeEvent.Kind.BLOCK_CONNECTED).size() == 3);
    assertThat(ofKind(events, NodeEvent.Kind.BLOCK_CONNECTED)).extracting(e -> ((NodeEvent.BlockConnected) e).header())
        .extracting(Header::height, Header::hash)
        .containsExactly(tuple(1, mined.get(0)), tuple(2, mined.get(1)), tuple(3, mined.get(2)));
    await().atMost(TestNodes.PROMPTLY).until(() -> ofKind(events, NodeEvent.Kind.BEST_HEADER).size() == 3);
    assertThat(node.height()).isEqualTo(3);
    assertThat(node.bestBlockHash()).isEqualTo(mined.get(2));
    assertThat(node.tip()).isEqualTo(node.bestHeader());
    assertThat(node.headerAt(2)).map(Header::hash).contains(mined.get(1));
    assertThat(node.header(mined.get(1))).map(Header::previousHash).contains(mined.get(0));
    assertThat(node.headerAt(4)).isEmpty();
    assertThat(node.block(mined.get(2))).hasValueSatisfying(block -> assertThat(block).hasSizeGreaterThan(80));
    assertThat(node.blockAt(3).orElseThrow()).isEqualTo(node.block(mined.get(2)).orElseThrow());
  }

  @Test
  void peersAndTheBlocksTheySendAreReported() {
    PeerdNode server = node("server", PeerdNode.builder().listen(ANY_LOOPBACK_PORT));
    ConcurrentLinkedQueue<NodeEvent> serverEvents = new ConcurrentLinkedQueue<>();
    server.subscribe(serverEvents::add);
    server.start();
    List<BlockHash> mined = server.generateToAddress(2, PAY_TO);

    PeerdNode client = node("client", PeerdNode.builder().connect(server.listenAddress().orElseThrow()));
    ConcurrentLinkedQueue<NodeEvent> clientEvents = new ConcurrentLinkedQueue<>();
    client.subscribe(clientEvents::add);
    client.start();

    await().atMost(TestNodes.SYNC_TIMEOUT).until(() -> ofKind(clientEvents, NodeEvent.Kind.BLOCK_CONNECTED).size() == 2);
    assertThat(client.bestBlockHash()).isEqualTo(mined.get(1));
    assertThat(ofKind(clientEvents, NodeEvent.Kind.PEER_CONNECTED)).singleElement()
        .satisfies(e -> assertThat(((NodeEvent.PeerConnected) e).peer())
            .returns(PeerInfo.Direction.OUTBOUND, PeerInfo::direction)
            .returns(server.listenAddress().orElseThrow(), PeerInfo::address));
    assertThat(client.peers()).extracting(PeerInfo::direction).containsExactly(PeerInfo.Direction.OUTBOUND);
    await().atMost(TestNodes.PROMPTLY).until(() -> ofKind(serverEvents, NodeEvent.Kind.PEER_CONNECTED).size() == 1);
    PeerInfo inbound = ((NodeEvent.PeerConnected) ofKind(serverEvents, NodeEvent.Kind.PEER_CONNECTED).getFirst()).peer();
    assertThat(inbound.direction()).isEqualTo(PeerInfo.Direction.INBOUND);
    assertThat(inbound.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(inbound.userAgent()).startsWith("/peerd");

    client.close();

    await().atMost(TestNodes.PROMPTLY).until(() -> ofKind(serverEvents, NodeEvent.Kind.PEER_DISCONNECTED).size() == 1);
    assertThat(((NodeEvent.PeerDisconnected) ofKind(serverEvents, NodeEvent.Kind.PEER_DISCONNECTED).getFirst()).peer())
        .isEqualTo(inbound);
  }

  @Test
  void aHeavierChainFromAPeerIsReportedAsAReorgThenItsBlocks() {
    PeerdNode shorter = node("shorter", PeerdNode.builder());
    shorter.start();
    List<BlockHash> lighter = shorter.generateToAddress(2, OTHER_PAY_TO); // the same payee would mine the same blocks
    shorter.close();
    PeerdNode longer = node("longer", PeerdNode.builder().listen(ANY_LOOPBACK_PORT));
    longer.start();
    List<BlockHash> heavier = longer.generateToAddress(3, PAY_TO);

    PeerdNode reopened = node("shorter", PeerdNode.builder().connect(longer.listenAddress().orElseThrow()));
    ConcurrentLinkedQueue<NodeEvent> events = new ConcurrentLinkedQueue<>();
    reopened.subscribe(Set.of(NodeEvent.Kind.REORG, NodeEvent.Kind.BLOCK_CONNECTED), 64, events::add);
    assertThat(reopened.bestBlockHash()).isEqualTo(lighter.get(1));
    reopened.start();

    await().atMost(TestNodes.SYNC_TIMEOUT).untilAsserted(() -> {
      assertThat(reopened.bestBlockHash()).isEqualTo(heavier.get(2));
      assertThat(events).containsExactly(new NodeEvent.Reorg(0, lighter, heavier),
          new NodeEvent.BlockConnected(longer.headerAt(1).orElseThrow()),
          new NodeEvent.BlockConnected(longer.headerAt(2).orElseThrow()),
          new NodeEvent.BlockConnected(longer.headerAt(3).orElseThrow()));
    });
  }

  /**
   * A subscriber that never returns does not hold the node back: blocks keep connecting, its
   * queue overflows, the newest events are dropped and counted, and once it runs again it learns
   * how many it missed, after the events that were queued.
   */
  @Test
  void aBlockedSubscriberLosesTheNewestEventsAndIsToldHowManyWhileTheNodeGoesOn() throws Exception {
    PeerdNode node = node("a", PeerdNode.builder());
    CountDownLatch release = new CountDownLatch(1);
    ConcurrentLinkedQueue<NodeEvent> slowEvents = new ConcurrentLinkedQueue<>();
    int capacity = 4;
    Subscription slow = node.subscribe(Set.of(NodeEvent.Kind.BLOCK_CONNECTED), capacity, event -> {
      slowEvents.add(event);
      awaitQuietly(release);
    });
    ConcurrentLinkedQueue<NodeEvent> events = new ConcurrentLinkedQueue<>();
    node.subscribe(Set.of(NodeEvent.Kind.BLOCK_CONNECTED), 64, events::add);
    node.start();

    int blocks = 30;
    node.generateToAddress(1, PAY_TO);
    await().atMost(TestNodes.PROMPTLY).until(() -> slowEvents.size() == 1); // stuck in its handler, queue empty
    assertThat(node.generateToAddress(blocks - 1, PAY_TO)).hasSize(blocks - 1); // returns while the subscriber is stuck

    assertThat(node.height()).isEqualTo(blocks);
    await().atMost(TestNodes.PROMPTLY).until(() -> events.size() == blocks);
    assertThat(release.getCount()).as("the slow subscriber is still stuck").isEqualTo(1);
    assertThat(slowEvents).hasSize(1);
    assertThat(slow.dropped()).isEqualTo(blocks - 1 - capacity);

    release.countDown();

    await().atMost(TestNodes.PROMPTLY).until(() -> slowEvents.size() == 1 + capacity + 1);
    List<NodeEvent> delivered = List.copyOf(slowEvents);
    assertThat(delivered.subList(0, 1 + capacity)).extracting(e -> ((NodeEvent.BlockConnected) e).header().height())
        .containsExactly(1, 2, 3, 4, 5);
    assertThat(delivered.getLast()).isEqualTo(new NodeEvent.Missed(blocks - 1 - capacity));
    node.generateToAddress(1, PAY_TO);
    await().atMost(TestNodes.PROMPTLY).until(() -> slowEvents.size() == 1 + capacity + 2);
    assertThat(slowEvents).last().extracting(e -> ((NodeEvent.BlockConnected) e).header().height()).isEqualTo(31);
  }

  @Test
  void closingTheNodeClosesItsSubscriptionsEvenWithAHandlerStuck() throws Exception {
    PeerdNode node = node("a", PeerdNode.builder());
    CountDownLatch never = new CountDownLatch(1);
    Subscription stuck = node.subscribe(event -> awaitQuietly(never));
    node.start();
    node.generateToAddress(1, PAY_TO);

    node.close();

    assertThat(stuck.isClosed()).isTrue();
    assertThat(stuck.awaitClosed(TestNodes.PROMPTLY.toMillis())).as("delivery thread ended").isTrue();
    assertThatThrownBy(() -> node.subscribe(event -> {})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aClosedSubscriptionGetsNothingMore() throws Exception {
    PeerdNode node = node("a", PeerdNode.builder());
    ConcurrentLinkedQueue<NodeEvent> events = new ConcurrentLinkedQueue<>();
    Subscription subscription = node.subscribe(events::add);
    node.start();
    node.generateToAddress(1, PAY_TO);
    await().atMost(TestNodes.PROMPTLY).until(() -> ofKind(events, NodeEvent.Kind.BLOCK_CONNECTED).size() == 1);

    subscription.close();
    assertThat(subscription.awaitClosed(TestNodes.PROMPTLY.toMillis())).isTrue();
    int before = events.size();
    ConcurrentLinkedQueue<NodeEvent> open = new ConcurrentLinkedQueue<>();
    node.subscribe(open::add);
    node.generateToAddress(2, PAY_TO);
    await().atMost(TestNodes.PROMPTLY).until(() -> ofKind(open, NodeEvent.Kind.BLOCK_CONNECTED).size() == 2);

    assertThat(events).as("delivered to the open subscription, not to the closed one").hasSize(before);
    assertThat(subscription.dropped()).isZero();
  }

  @Test
  void subscriptionsAreBoundedAndAClosedOneFreesItsPlace() throws Exception {
    PeerdNode node = node("a", PeerdNode.builder());
    List<Subscription> subscriptions = new ArrayList<>();
    for (int i = 0; i < EventHub.MAX_SUBSCRIPTIONS; i++) {
      subscriptions.add(node.subscribe(event -> { }));
    }
    assertThatThrownBy(() -> node.subscribe(event -> { })).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at most " + EventHub.MAX_SUBSCRIPTIONS);

    subscriptions.getFirst().close();
    assertThat(node.subscribe(event -> { })).isNotNull();
  }

  @Test
  void aDataDirectoryThatCannotBeUsedIsRefusedWithTheReason() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertThatThrownBy(() -> PeerdNode.builder().dataDirectory(file).build())
        .isInstanceOf(PeerdException.class).hasMessageContaining(file.toString()).hasMessageContaining("directory");
  }

  @Test
  void miningIsForRegtestOnly() {
    PeerdNode node = PeerdNode.builder().network(Network.SIGNET).dataDirectory(dir.resolve("signet"))
        .dnsSeeds(false).build();
    nodes.add(node);
    assertThatThrownBy(() -> node.generateToAddress(1, PAY_TO)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aBlockCountOutsideWhatMiningTakesIsRefusedBeforeMining() {
    PeerdNode node = node("range", PeerdNode.builder());
    node.start();
    assertThatThrownBy(() -> node.generateToAddress(-1, PAY_TO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("blocks must be 0..1000000, not -1");
    assertThatThrownBy(() -> node.generateToAddress(1_000_001, PAY_TO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(node.height()).isZero();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the subscription was closed
    }
  }
}
