package io.peerd.sync;

import static io.peerd.testing.TestNodes.PROMPTLY;
import static io.peerd.testing.TestNodes.awaitTip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.node.Node;
import io.peerd.testing.BlockFeeder;
import io.peerd.testing.Branches;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain selection against competing and hostile peers over real sockets: the node ends on the
 * most-work valid chain whatever order branches, invalid blocks and mutated copies arrive in,
 * and announces every new tip. The node mines its base chain with the wall clock, so it is out of
 * initial block download, and every branch here builds on that chain.
 */
class ChainSelectionTest {
  private static final int BASE_HEIGHT = 5;

  @TempDir
  Path dir;
  private Node node;
  private Branches branches;
  private final List<AutoCloseable> peers = new ArrayList<>();

  @BeforeEach
  void startNodeWithBaseChain() throws Exception {
    node = TestNodes.start(TestNodes.regtest(dir));
    TestNodes.mine(node, BASE_HEIGHT);
    branches = Branches.of(node);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable peer : peers.reversed()) {
      peer.close();
    }
    node.close();
  }

  @Test
  void aNewTipIsAnnouncedWhileAHeaderOfEqualWorkLacksItsBlock() throws Exception {
    RawPeer watcher = handshaked();
    Block withheld = branches.extend(tipHash(), 1).getFirst();
    Block delivered = branches.extend(tipHash(), 1).getFirst();

    handshaked().send(headersOf(List.of(withheld))); // a header first seen, whose block never comes
    awaitBestHeader(withheld.hash());
    handshaked().send(headersOf(List.of(delivered))).send(new Message.BlockMessage(delivered));
    awaitTip(node, delivered.hash(), PROMPTLY);

    assertThat(awaitAnnouncement(watcher)).isEqualTo(delivered.hash());
  }

  @Test
  void aValidCompetitorIsFetchedAfterAMutatedCopyOfTheFirstSeenBlock() throws Exception {
    Block first = branches.extend(tipHash(), 1).getFirst();
    Block competitor = branches.extend(tipHash(), 1).getFirst();

    RawPeer honest = handshaked(); // before the mutator gets loopback discouraged
    RawPeer mutator = handshaked();
    BlockFeeder mutating = feeder(mutator, List.of(Branches.mutated(first)));
    mutator.send(headersOf(List.of(first)));
    mutating.awaitDisconnected();
    feeder(honest, List.of(competitor));
    honest.send(headersOf(List.of(competitor)));

    awaitTip(node, competitor.hash(), PROMPTLY);
  }

  @Test
  void forkBatteryEndsOnTheMostWorkValidChainAndKeepsTheInvalidBranchRefusedAfterARestart() throws Exception {
    Hash base = tipHash();
    Block invalid = branches.invalid(base);
    Block valid = branches.extend(base, 1).getFirst();
    List<Block> longer = branches.extend(branches.node(base).parent().hash(), 3);
    RawPeer watcher = handshaked();
    RawPeer b = handshaked(); // b and c connect before a gets loopback discouraged
    RawPeer c = handshaked();

    RawPeer a = handshaked();
    BlockFeeder invalidFeeder = feeder(a, List.of(invalid)); // (a) a branch whose next block is invalid
    a.send(headersOf(List.of(invalid)));
    invalidFeeder.awaitDisconnected();
    assertThat(invalidFeeder.requested()).contains(invalid.hash());
    serve(b, List.of(valid)); // (b) a valid block at the same height
    awaitTip(node, valid.hash(), PROMPTLY);
    serve(c, longer); // (c) a longer valid branch, forking lower, appearing later
    awaitTip(node, longer.getLast().hash(), PROMPTLY);
    assertThat(awaitAnnouncement(watcher, longer.getLast().hash())).isEqualTo(longer.getLast().hash());

    node.close();
    node = TestNodes.start(TestNodes.regtest(dir));
    assertThat(node.snapshot().tip().hash()).isEqualTo(longer.getLast().hash());
    RawPeer again = handshaked();
    again.send(headersOf(List.of(invalid)));
    again.awaitClosed();
    assertThat(node.snapshot().tip().hash()).isEqualTo(longer.getLast().hash());
  }

  @Test
  void aLongerForkFromAnotherPeerMidDownloadWins() throws Exception {
    Hash fork = tipHash();
    List<Block> shorter = branches.extend(fork, 40);
    List<Block> longer = branches.extend(branches.node(fork).ancestor(BASE_HEIGHT - 2).hash(), 45);

    RawPeer first = handshaked();
    BlockFeeder slow = feeder(first, shorter.subList(0, 20)); // has the rest, sends notfound for it
    first.send(headersOf(shorter));
    await().atMost(PROMPTLY).until(() -> slow.requested().size() >= 20);
    serve(handshaked(), longer);

    awaitTip(node, longer.getLast().hash(), PROMPTLY);
  }

  @Test
  void aReorgOfMoreThan100BlocksMovesTheTipAndIsAnnounced() throws Exception {
    Hash forkPoint = branches.node(tipHash()).ancestor(BASE_HEIGHT - 2).hash();
    TestNodes.mine(node, 120);
    List<Block> fork = branches.extend(forkPoint, 130);
    RawPeer watcher = handshaked();

    serve(handshaked(), fork);

    awaitTip(node, fork.getLast().hash(), PROMPTLY);
    assertThat(node.snapshot().tipHeight()).isEqualTo(BASE_HEIGHT - 2 + 130);
    assertThat(awaitAnnouncement(watcher, fork.getLast().hash())).isEqualTo(fork.getLast().hash());
  }

  @Test
  void headersThatDoNotEachBuildOnTheOneBeforeDisconnectAndStoreNothing() throws Exception {
    List<Block> blocks = branches.extend(tipHash(), 3);
    RawPeer peer = handshaked();

    peer.send(new Message.Headers(List.of(blocks.get(0).header(), blocks.get(2).header())));

    peer.awaitClosed();
    assertThat(node.chainView().header(blocks.get(0).hash())).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private Hash tipHash() {
    return node.snapshot().tip().hash();
  }

  private RawPeer handshaked() throws Exception {
    RawPeer peer = RawPeer.connect(node);
    peers.add(peer);
    peer.handshake();
    return peer;
  }

  private BlockFeeder feeder(RawPeer peer, List<Block> blocks) {
    BlockFeeder feeder = BlockFeeder.serving(peer, blocks);
    peers.add(feeder);
    return feeder;
  }

  /** {@code peer} turns honest peer: it announces {@code blocks} by headers and serves them. */
  private void serve(RawPeer peer, List<Block> blocks) throws Exception {
    feeder(peer, blocks);
    for (int from = 0; from < blocks.size(); from += Message.MAX_HEADERS) {
      peer.send(headersOf(blocks.subList(from, Math.min(blocks.size(), from + Message.MAX_HEADERS))));
    }
  }

  private static Message.Headers headersOf(List<Block> blocks) {
    return new Message.Headers(Branches.headers(blocks));
  }

  private void awaitBestHeader(Hash hash) {
    await().atMost(PROMPTLY).until(() -> node.snapshot().bestHeader().hash().equals(hash));
  }

  /** The hash of the next block the node announces to {@code watcher}, by inv or headers. */
  private static Hash awaitAnnouncement(RawPeer watcher) throws Exception {
    Message message = watcher.expect(Message.class, m -> announcedHash(m) != null);
    return announcedHash(message);
  }

  /** Waits for the announcement of {@code hash}, skipping announcements of tips on the way. */
  private static Hash awaitAnnouncement(RawPeer watcher, Hash hash) throws Exception {
    Message message = watcher.expect(Message.class, m -> hash.equals(announcedHash(m)));
    return announcedHash(message);
  }

  private static Hash announcedHash(Message message) {
    return switch (message) {
      case Message.Inv inv -> inv.items().stream()
          .filter(item -> item.baseType() == InventoryItem.BLOCK).map(InventoryItem::hash).reduce((a, b) -> b)
          .orElse(null);
      case Message.Headers headers when !headers.headers().isEmpty() -> headers.headers().getLast().hash();
      default -> null;
    };
  }
}
