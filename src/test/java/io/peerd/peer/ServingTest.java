package io.peerd.peer;

import static io.peerd.testing.TestNodes.awaitActive;
import static io.peerd.testing.TestNodes.awaitNoPeerAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a node serves from its chain: getheaders, getblocks and getdata, and what happens to a
 * peer that asks for more than it reads. One node with a 2,500-block chain serves every test;
 * nothing here changes its chain or its discouragement list.
 */
class ServingTest {
  private static final int CHAIN_HEIGHT = 2_500;
  /** Holds a few full headers messages (162 kB each), far less than what a non-reader asks for. */
  private static final long SEND_QUEUE_CAPACITY_BYTES = 512 << 10;
  private static final long SERVE_PAUSE_BYTES = 64 << 10;
  /** The smallest TCP window the system allows: the reader that never reads fills it at once. */
  private static final int TINY_RECEIVE_BUFFER_BYTES = 4096;

  @TempDir
  static Path dir;
  private static Node node;

  @BeforeAll
  static void startNodeWithChain() throws Exception {
    NodeConfig config = TestNodes.regtest(dir);
    node = TestNodes.start(config.withPeer(withSendQueue(config.peer())));
    TestNodes.mine(node, CHAIN_HEIGHT);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  // ---------------------------------------------------------------- getheaders

  @Test
  void getheadersReturnsAtMost2000HeadersAfterTheLocatorThenTheRest() throws Exception {
    try (RawPeer remote = handshaked()) {
      List<BlockHeader> first = getHeaders(remote, List.of(hashAt(0)), Hash.ZERO);
      assertThat(hashesOf(first)).isEqualTo(hashesAt(1, Message.MAX_HEADERS));

      List<BlockHeader> rest = getHeaders(remote, List.of(first.getLast().hash(), hashAt(0)), Hash.ZERO);
      assertThat(hashesOf(rest)).isEqualTo(hashesAt(Message.MAX_HEADERS + 1, CHAIN_HEIGHT));
    }
  }

  @Test
  void getheadersStartsAfterTheFirstLocatorHashOnOurChain() throws Exception {
    try (RawPeer remote = handshaked()) {
      List<Hash> locator = List.of(unknownHash(), hashAt(2_450), hashAt(100), hashAt(0));

      assertThat(hashesOf(getHeaders(remote, locator, Hash.ZERO))).isEqualTo(hashesAt(2_451, CHAIN_HEIGHT));
    }
  }

  @Test
  void getheadersEndsAtTheStopHash() throws Exception {
    try (RawPeer remote = handshaked()) {
      List<BlockHeader> headers = getHeaders(remote, List.of(hashAt(100)), hashAt(110));

      assertThat(hashesOf(headers)).isEqualTo(hashesAt(101, 110));
    }
  }

  // ---------------------------------------------------------------- getblocks

  @Test
  void getblocksReturnsAtMost500BlockHashes() throws Exception {
    try (RawPeer remote = handshaked()) {
      remote.send(new Message.GetBlocks(PeerConfig.PROTOCOL_VERSION, List.of(hashAt(0)),
          Hash.ZERO));

      Message.Inv inv = remote.expect(Message.Inv.class);
      assertThat(inv.items()).isEqualTo(hashesAt(1, 500).stream().map(InventoryItem::block).toList());
    }
  }

  // ---------------------------------------------------------------- getdata

  @ParameterizedTest(name = "inventory type {0}")
  @ValueSource(longs = {InventoryItem.WITNESS_BLOCK, InventoryItem.BLOCK})
  void getdataReturnsTheMinedBlock(long type) throws Exception {
    Hash hash = hashAt(1_234);
    try (RawPeer remote = handshaked()) {
      remote.send(getdata(new InventoryItem(type, hash)));

      byte[] served = remote.expectFrame("block").payload();
      assertThat(served).isEqualTo(node.chainView().block(hash).orElseThrow());
      assertThat(Block.fromBytes(served).hash()).isEqualTo(hash);
    }
  }

  @Test
  void getdataAnswersNotfoundForUnknownBlocksAndForTransactions() throws Exception {
    List<InventoryItem> missing = List.of(InventoryItem.witnessBlock(unknownHash()),
        new InventoryItem(InventoryItem.TX, hashAt(7)), new InventoryItem(InventoryItem.WITNESS_TX, unknownHash()));
    try (RawPeer remote = handshaked()) {
      remote.send(getdata(missing.toArray(InventoryItem[]::new)));

      Message.NotFound notfound = remote.expect(Message.NotFound.class);
      assertThat(notfound.items()).isEqualTo(missing);
    }
  }

  // ---------------------------------------------------------------- send queue cap

  @Test
  void aPeerThatNeverReadsIsDisconnectedOnceItsSendQueuePassesTheByteCap() throws Exception {
    try (RawPeer nonReader = RawPeer.connect(node.p2pAddress(), node.params().magic(), TINY_RECEIVE_BUFFER_BYTES)) {
      nonReader.handshake();
      Peer peer = (Peer) awaitActive(node, nonReader.localAddress()).peer();

      // 200 full headers answers: 32 MB, far past the cap plus what the sockets can buffer.
      nonReader.sendRaw(repeated(getheaders(List.of(hashAt(0)), Hash.ZERO), 200));

      awaitNoPeerAt(node, nonReader.localAddress());
      assertThat(peer.closeReason()).isEqualTo("too slow: send queue over " + SEND_QUEUE_CAPACITY_BYTES + " bytes");
    }
    try (RawPeer next = handshaked()) {
      next.expectPingAnswered();
      assertThat(getHeaders(next, List.of(hashAt(0)), Hash.ZERO)).hasSize(Message.MAX_HEADERS);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static PeerConfig withSendQueue(PeerConfig p) {
    return new PeerConfig(p.params(), p.services(), p.userAgent(), p.advertisedAddress(), p.handshakeTimeoutMillis(),
        p.pingIntervalMillis(), p.pingTimeoutMillis(), p.idleTimeoutMillis(), p.checkIntervalMillis(),
        SEND_QUEUE_CAPACITY_BYTES, SERVE_PAUSE_BYTES, p.inboundBudgetBytes(), p.inboundMinimumCostBytes());
  }

  private static RawPeer handshaked() throws Exception {
    RawPeer remote = RawPeer.connect(node);
    remote.handshake();
    return remote;
  }

  private static List<BlockHeader> getHeaders(RawPeer remote, List<Hash> locator, Hash stop) throws Exception {
    remote.send(getheaders(locator, stop));
    return remote.expect(Message.Headers.class).headers();
  }

  private static Message getheaders(List<Hash> locator, Hash stop) {
    return new Message.GetHeaders(PeerConfig.PROTOCOL_VERSION, locator, stop);
  }

  private static Message getdata(InventoryItem... items) {
    return new Message.GetData(List.of(items));
  }

  private static byte[] repeated(Message message, int times) {
    byte[] frame = MessageCodec.encode(node.params().magic(), message);
    ByteArrayOutputStream frames = new ByteArrayOutputStream(times * frame.length);
    for (int i = 0; i < times; i++) {
      frames.writeBytes(frame);
    }
    return frames.toByteArray();
  }

  private static Hash hashAt(int height) {
    return node.chainView().onTipChain(height).orElseThrow().hash();
  }

  /** Hashes of the tip chain from {@code first} to {@code last}, both included. */
  private static List<Hash> hashesAt(int first, int last) {
    return IntStream.rangeClosed(first, last).mapToObj(ServingTest::hashAt).toList();
  }

  private static List<Hash> hashesOf(List<BlockHeader> headers) {
    return headers.stream().map(BlockHeader::hash).toList();
  }

  private static Hash unknownHash() {
    return Hash.of("no such block".getBytes(StandardCharsets.US_ASCII));
  }
}
