package io.peerd.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.chain.BlockBuilder;
import io.peerd.chain.Chain;
import io.peerd.chain.Chain.BlockOutcome;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.chain.Script;
import io.peerd.testing.TestChains;
import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The block window on real header chains (mined regtest headers in a real store), driven with
 * hand-made snapshots: which heights go to whom, what returns to the window, and the stall rule.
 */
class BlockDownloadTest {
  private static final int WINDOW = 10;
  private static final int PER_PEER = 4;
  private static final long STALL_MILLIS = 2_000;
  private static final long MAX_STALL_MILLIS = 8_000;
  private static final long BLOCK_TIMEOUT_MILLIS = 5_000;
  private static final SyncConfig CONFIG = new SyncConfig(WINDOW, PER_PEER, STALL_MILLIS, MAX_STALL_MILLIS,
      120_000, BLOCK_TIMEOUT_MILLIS, 250, 10_000, 100);
  private static final long A = 1;
  private static final long B = 2;
  private static final long C = 3;
  private static final long D = 4;
  private static final int ALL = 1_000;
  private static final long START_SECONDS = 1_700_000_000L;

  /** Genesis and 60 headers, indexed by height. */
  private static List<HeaderNode> trunk;
  /** 50 headers forking off the trunk after height 20: element i is at height 21 + i. */
  private static List<HeaderNode> branch;
  /** 3 headers forking off the trunk after height 2: element i is at height 3 + i. */
  private static List<HeaderNode> side;
  private static final Map<Hash, HeaderNode> BY_HASH = new HashMap<>();

  private final BlockDownload download = new BlockDownload(CONFIG);

  @BeforeAll
  static void mineHeaders() {
    Chain chain = TestChains.fresh();
    trunk = new ArrayList<>(List.of(chain.tip()));
    trunk.addAll(extend(chain, chain.tip(), 60, 0));
    branch = extend(chain, trunk.get(20), 50, 1);
    side = extend(chain, trunk.get(2), 3, 2);
  }

  private static List<HeaderNode> extend(Chain chain, HeaderNode parent, int count, int branchId) {
    BlockBuilder builder = new BlockBuilder(NetworkParameters.REGTEST);
    List<HeaderNode> nodes = new ArrayList<>();
    HeaderNode tip = parent;
    for (int i = 0; i < count; i++) {
      Block block = builder.mine(tip, new byte[] {Script.OP_RETURN}, branchId, START_SECONDS + tip.height() + 1);
      assertThat(chain.acceptHeaders(List.of(block.header())).rejection()).isEmpty();
      tip = chain.header(block.hash()).orElseThrow();
      nodes.add(tip);
      BY_HASH.put(tip.hash(), tip);
    }
    return nodes;
  }

  /** Tip on the trunk at {@code tipHeight}, best header the trunk's end (60). */
  private static ChainSnapshot trunkAt(int tipHeight) {
    return new ChainSnapshot(trunk.get(tipHeight), trunk.getLast());
  }

  private static List<Hash> trunkHashes(int... heights) {
    return IntStream.of(heights).mapToObj(h -> trunk.get(h).hash()).toList();
  }

  private static List<Hash> trunkRange(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(h -> trunk.get(h).hash()).toList();
  }

  /** The branch's first {@code count} hashes (heights 21 and up). */
  private static List<Hash> branchHashes(int count) {
    return branch.subList(0, count).stream().map(HeaderNode::hash).toList();
  }

  private static int height(Hash hash) {
    return BY_HASH.get(hash).height();
  }

  private List<Hash> assign(long peer, int peerHeight, ChainSnapshot snapshot, long nowMillis) {
    return download.assign(peer, PER_PEER - download.inFlightCount(peer), onBest(snapshot, peerHeight), snapshot,
        nowMillis);
  }

  /** A peer's target when it is known only to have the best header chain up to {@code peerHeight}. */
  private static HeaderNode onBest(ChainSnapshot snapshot, int peerHeight) {
    HeaderNode best = snapshot.bestHeader();
    return best.ancestor(Math.min(peerHeight, best.height()));
  }

  /** Delivers a block its peer had in flight and hands it to the chain. */
  private void deliverToChain(Hash hash) {
    BlockDownload.Request request = download.delivered(hash);
    assertThat(request).as("was in flight").isNotNull();
    download.handedToChain(hash, request.height());
  }

  // ------------------------------------------------------------ assignment

  @Test
  void assignsTheLowestHeightsAboveTheBaseUpToTheWindowEnd() {
    ChainSnapshot snapshot = trunkAt(0);
    assertThat(assign(A, 60, snapshot, 0)).containsExactlyElementsOf(trunkRange(1, 4));
    assertThat(assign(B, 60, snapshot, 0)).containsExactlyElementsOf(trunkRange(5, 8));
    assertThat(assign(C, 60, snapshot, 0)).as("window ends at base + 10").containsExactlyElementsOf(trunkRange(9, 10));
    assertThat(assign(D, 60, snapshot, 0)).isEmpty();
    assertThat(download.inFlightCount()).isEqualTo(10);
    assertThat(download.inFlightCount(C)).isEqualTo(2);
  }

  @Test
  void aPeerWithFreeSlotsGetsNothingTwice() {
    ChainSnapshot snapshot = trunkAt(0);
    assertThat(download.assign(A, 2, onBest(snapshot, 60), snapshot, 0)).containsExactlyElementsOf(trunkRange(1, 2));
    assertThat(download.assign(A, 2, onBest(snapshot, 60), snapshot, 0)).containsExactlyElementsOf(trunkRange(3, 4));
    assertThat(download.assign(B, 100, onBest(snapshot, 60), snapshot, 0)).containsExactlyElementsOf(trunkRange(5, 10));
    assertThat(download.assign(A, 100, onBest(snapshot, 60), snapshot, 0)).isEmpty();
  }

  @Test
  void neverAssignsAboveThePeersHeight() {
    ChainSnapshot snapshot = trunkAt(0);
    assertThat(assign(A, 2, snapshot, 0)).containsExactlyElementsOf(trunkRange(1, 2));
    assertThat(assign(B, 0, snapshot, 0)).isEmpty();
    assertThat(assign(C, 5, snapshot, 0)).containsExactlyElementsOf(trunkRange(3, 5));
    assertThat(assign(D, 60, snapshot, 0)).containsExactlyElementsOf(trunkRange(6, 9));
  }

  @Test
  void theWindowStartsAboveTheDownloadBaseAndEndsAtTheBestHeader() {
    assertThat(download.assign(A, 100, trunk.getLast(), trunkAt(37), 0)).containsExactlyElementsOf(trunkRange(38, 47));
    BlockDownload nearTheEnd = new BlockDownload(CONFIG);
    assertThat(nearTheEnd.assign(A, 100, trunk.getLast(), trunkAt(55), 0)).containsExactlyElementsOf(trunkRange(56, 60));
  }

  @Test
  void theWindowMovesWithTheTip() {
    assertThat(download.assign(A, 100, onBest(trunkAt(0), 60), trunkAt(0), 0)).containsExactlyElementsOf(trunkRange(1, 10));
    trunkRange(1, 3).forEach(this::deliverToChain);
    trunkRange(1, 3).forEach(hash -> download.processed(hash, BlockOutcome.CONNECTED));
    download.tipMoved(trunkAt(3));
    assertThat(download.assign(B, 100, onBest(trunkAt(3), 60), trunkAt(3), 0)).containsExactlyElementsOf(trunkRange(11, 13));
  }

  @Test
  void theDownloadBaseIsWhereTheTipMeetsTheBestChain() {
    // The tip sits on a side branch that left the trunk after height 2.
    ChainSnapshot snapshot = new ChainSnapshot(side.getLast(), trunk.getLast());
    assertThat(download.assign(A, 100, onBest(snapshot, 60), snapshot, 0)).containsExactlyElementsOf(trunkRange(3, 12));
  }

  // ------------------------------------------------------------ what returns to the window

  @Test
  void notFoundFromTheHolderPutsTheBlockBackFirst() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    download.notFound(A, trunk.get(3).hash());
    assertThat(download.inFlightCount(A)).isEqualTo(3);
    assertThat(assign(B, 60, snapshot, 0)).containsExactlyElementsOf(trunkHashes(3, 5, 6, 7));
  }

  @Test
  void notFoundFromAnotherPeerIsIgnored() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    download.notFound(B, trunk.get(3).hash());
    download.notFound(B, branch.get(0).hash());
    assertThat(download.inFlightCount(A)).isEqualTo(4);
    assertThat(assign(B, 60, snapshot, 0)).containsExactlyElementsOf(trunkRange(5, 8));
  }

  @Test
  void aGonePeersBlocksGoToTheNextPeerLowestFirst() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    assign(B, 60, snapshot, 0);
    deliverToChain(trunk.get(2).hash());
    download.peerGone(A);
    assertThat(download.inFlightCount(A)).isZero();
    assertThat(download.assign(C, 100, onBest(snapshot, 60), snapshot, 0)).containsExactlyElementsOf(trunkHashes(1, 3, 4, 9, 10));
    assertThat(download.delivered(trunk.get(1).hash()).peerId()).isEqualTo(C);
  }

  @Test
  void nothingIsInFlightOnceEveryPeerIsGone() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    assign(B, 60, snapshot, 0);
    deliverToChain(trunk.get(6).hash());
    download.peerGone(A);
    assertThat(download.nothingInFlight()).isFalse();
    download.peerGone(B);
    assertThat(download.nothingInFlight()).isTrue();
    assertThat(download.inFlightCount()).isZero();
    assertThat(download.atChainCount()).as("a block at the chain is not in flight").isEqualTo(1);
    download.peerGone(C); // never had anything: harmless
    assertThat(download.nothingInFlight()).isTrue();
  }

  @Test
  void aBlockTheChainRefusedIsAskedForAgain() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    BlockDownload.Request request = download.delivered(trunk.get(2).hash());
    assertThat(request).isEqualTo(new BlockDownload.Request(A, 2, 0));
    download.chainRefused(request.height());
    assertThat(assign(B, 60, snapshot, 0)).containsExactlyElementsOf(trunkHashes(2, 5, 6, 7));
  }

  @ParameterizedTest(name = "{0} blocks are asked for again")
  @EnumSource(value = BlockOutcome.class, names = {"INVALID", "UNKNOWN_PARENT"})
  void blocksTheChainCouldNotUseAreAskedForAgain(BlockOutcome outcome) {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    deliverToChain(trunk.get(3).hash());
    assertThat(assign(A, 60, snapshot, 0)).containsExactly(trunk.get(5).hash());
    download.processed(trunk.get(3).hash(), outcome);
    assertThat(download.atChainCount()).isZero();
    assertThat(assign(B, 60, snapshot, 0)).containsExactlyElementsOf(trunkHashes(3, 6, 7, 8));
  }

  @ParameterizedTest(name = "{0} blocks are not asked for again")
  @EnumSource(value = BlockOutcome.class, names = {"STORED", "DUPLICATE"})
  void blocksStoredAheadOfTheTipAreNotAskedForAgain(BlockOutcome outcome) {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    deliverToChain(trunk.get(3).hash());
    download.processed(trunk.get(3).hash(), outcome);
    download.peerGone(A);
    assertThat(download.assign(B, 100, onBest(snapshot, 60), snapshot, 0)).containsExactlyElementsOf(trunkHashes(1, 2, 4, 5, 6, 7, 8, 9, 10));
  }

  @Test
  void aProcessedReplyForABlockNeverHandedOverIsIgnored() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    download.processed(trunk.get(2).hash(), BlockOutcome.INVALID);
    assertThat(assign(B, 60, snapshot, 0)).containsExactlyElementsOf(trunkRange(5, 8));
  }

  /** A holds 1..4; 3 and 4 are stored ahead, then 1 and 2 connect: the tip is at 2. */
  private void storeThreeAndFourThenConnectOneAndTwo() {
    assign(A, 60, trunkAt(0), 0);
    deliverToChain(trunk.get(3).hash());
    deliverToChain(trunk.get(4).hash());
    download.processed(trunk.get(3).hash(), BlockOutcome.STORED);
    download.processed(trunk.get(4).hash(), BlockOutcome.DUPLICATE);
    deliverToChain(trunk.get(1).hash());
    deliverToChain(trunk.get(2).hash());
    download.processed(trunk.get(1).hash(), BlockOutcome.CONNECTED);
    download.processed(trunk.get(2).hash(), BlockOutcome.CONNECTED);
    download.tipMoved(trunkAt(2));
  }

  @Test
  void blocksStoredAboveTheBaseStayHandledWhenTheTipMoves() {
    storeThreeAndFourThenConnectOneAndTwo();
    assertThat(download.assign(B, 100, onBest(trunkAt(2), 60), trunkAt(2), 0)).containsExactlyElementsOf(trunkRange(5, 12));
  }

  @Test
  void storedBlocksAreForgottenOnceTheTipPassesThemAndAskedForAgainByANewWindowBelow() {
    storeThreeAndFourThenConnectOneAndTwo();
    download.tipMoved(trunkAt(4));
    // The tip leaves for a side branch off height 2. Trunk 3 and 4 were dropped from the stored
    // set when the tip passed them, so a window that starts above the base at 2 asks for them
    // again (the chain answers DUPLICATE): a rare reorg costs two blocks, not a set that grows.
    ChainSnapshot reorged = new ChainSnapshot(side.getLast(), trunk.getLast());
    assertThat(download.assign(C, 100, trunk.getLast(), reorged, 0)).containsExactlyElementsOf(trunkRange(3, 12));
  }

  // ------------------------------------------------------------ best chain switches

  @Test
  void aSwitchToAnotherBranchRestartsFromTheNewBase() {
    ChainSnapshot onTrunk = new ChainSnapshot(trunk.get(20), trunk.getLast());
    assertThat(assign(A, 70, onTrunk, 0)).containsExactlyElementsOf(trunkRange(21, 24));
    assertThat(assign(B, 70, onTrunk, 0)).containsExactlyElementsOf(trunkRange(25, 28));
    ChainSnapshot onBranch = new ChainSnapshot(trunk.get(20), branch.getLast());
    assertThat(assign(C, 70, onBranch, 0)).containsExactlyElementsOf(branchHashes(4));
    assertThat(download.inFlightCount()).as("the trunk's blocks stay in flight").isEqualTo(12);
  }

  @Test
  void aSwitchFromATipAboveTheForkRestartsAtTheFork() {
    ChainSnapshot onTrunk = new ChainSnapshot(trunk.get(25), trunk.getLast());
    assertThat(assign(A, 70, onTrunk, 0)).containsExactlyElementsOf(trunkRange(26, 29));
    ChainSnapshot onBranch = new ChainSnapshot(trunk.get(25), branch.getLast());
    assertThat(download.assign(B, 100, onBest(onBranch, 70), onBranch, 0)).hasSize(WINDOW)
        .containsExactlyElementsOf(branchHashes(WINDOW));
  }

  @Test
  void aSwitchBackRescansTheFirstBranch() {
    ChainSnapshot onTrunk = new ChainSnapshot(trunk.get(20), trunk.getLast());
    assign(A, 70, onTrunk, 0);
    download.peerGone(A); // 21..24 back to the window, cursor already at 25
    ChainSnapshot onBranch = new ChainSnapshot(trunk.get(20), branch.getLast());
    assign(B, 70, onBranch, 0);
    assertThat(assign(C, 70, onTrunk, 0)).containsExactlyElementsOf(trunkRange(21, 24));
  }

  @Test
  void aLongerBestChainOnTheSameBranchKeepsTheCursor() {
    ChainSnapshot shorter = new ChainSnapshot(trunk.get(0), trunk.get(6));
    assertThat(download.assign(A, 100, onBest(shorter, 60), shorter, 0)).containsExactlyElementsOf(trunkRange(1, 6));
    assertThat(download.assign(B, 100, onBest(trunkAt(0), 60), trunkAt(0), 0)).containsExactlyElementsOf(trunkRange(7, 10));
  }

  // ------------------------------------------------------------ timeouts and the stall rule

  @Test
  void peersWithARequestOlderThanTheBlockTimeoutAreOverdue() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    assign(B, 60, snapshot, 1_000);
    assertThat(download.overduePeers(BLOCK_TIMEOUT_MILLIS - 1)).isEmpty();
    assertThat(download.overduePeers(BLOCK_TIMEOUT_MILLIS)).containsExactly(A);
    assertThat(download.overduePeers(BLOCK_TIMEOUT_MILLIS + 1_000)).containsExactlyInAnyOrder(A, B);
    trunkRange(1, 4).forEach(download::delivered);
    assertThat(download.overduePeers(BLOCK_TIMEOUT_MILLIS + 1_000)).containsExactly(B);
  }

  /** A holds 1..4 (the window's first block), B 5..8, C 9..10: the window is used up at {@code nowMillis}. */
  private ChainSnapshot exhaustWindow(long nowMillis) {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, nowMillis);
    assign(B, 60, snapshot, nowMillis);
    assign(C, 60, snapshot, nowMillis);
    download.noteWindowStall(snapshot, nowMillis);
    return snapshot;
  }

  @Test
  void thePeerHoldingTheFirstBlockOfAUsedUpWindowIsDroppedAfterTheGrace() {
    exhaustWindow(1_000);
    assertThat(download.stalledPeer(1_000 + STALL_MILLIS - 1)).isEmpty();
    assertThat(download.stalledPeer(1_000 + STALL_MILLIS)).hasValue(A);
    assertThat(download.stalledPeer(1_000 + 10 * STALL_MILLIS)).as("reported once").isEmpty();
    assertThat(download.stallTimeoutMillis()).isEqualTo(2 * STALL_MILLIS);
  }

  @Test
  void noStallWhileTheWindowHasRoom() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    assign(B, 60, snapshot, 0);
    download.noteWindowStall(snapshot, 0);
    assertThat(download.stalledPeer(100 * STALL_MILLIS)).isEmpty();
  }

  @Test
  void noStallWhenNoPeerHasTheRestOfTheWindow() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 7, snapshot, 0);
    assign(B, 7, snapshot, 0);
    download.noteWindowStall(snapshot, 0);
    assertThat(download.stalledPeer(100 * STALL_MILLIS)).isEmpty();
  }

  /** The watch on a staller ends with the stall: here the stalled windows' peers left. */
  @Test
  void aStallerIsNotDroppedOnceNoWindowIsStalledOnIt() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0); // 1..4: the window's first block
    assign(B, 60, snapshot, 0);
    assign(C, 60, snapshot, 0); // 9, 10: its window is used up, held back by A
    download.noteWindowStall(snapshot, 0);
    download.peerGone(B);
    download.peerGone(C);

    download.noteWindowStall(snapshot, 0); // A's own window can still move

    assertThat(download.stalledPeer(100 * STALL_MILLIS)).isEmpty();
  }

  @Test
  void noStallWhenTheWindowReachesTheBestHeader() {
    ChainSnapshot snapshot = new ChainSnapshot(trunk.get(0), trunk.get(WINDOW));
    assign(A, 60, snapshot, 0);
    assign(B, 60, snapshot, 0);
    assign(C, 60, snapshot, 0);
    download.noteWindowStall(snapshot, 0);
    assertThat(download.stalledPeer(100 * STALL_MILLIS)).isEmpty();

    ChainSnapshot oneMore = new ChainSnapshot(trunk.get(0), trunk.get(WINDOW + 1));
    for (long peer : List.of(A, B, C)) { // the sync manager offers every peer its target, free slots or not
      assign(peer, 60, oneMore, 0);
    }
    download.noteWindowStall(oneMore, 0);
    assertThat(download.stalledPeer(STALL_MILLIS)).as("one block beyond the window").hasValue(A);
  }

  @Test
  void noStallWhileTheFirstBlockIsAtTheChain() {
    ChainSnapshot snapshot = trunkAt(0);
    assign(A, 60, snapshot, 0);
    assign(B, 60, snapshot, 0);
    assign(C, 60, snapshot, 0);
    deliverToChain(trunk.get(1).hash());
    download.noteWindowStall(snapshot, 0);
    assertThat(download.stalledPeer(100 * STALL_MILLIS)).isEmpty();
  }

  @Test
  void aStallerThatDeliversTheFirstBlockIsNotDroppedWhileTheChainWorks() {
    ChainSnapshot snapshot = exhaustWindow(0);
    deliverToChain(trunk.get(1).hash());
    assign(A, 60, snapshot, 100);
    download.noteWindowStall(snapshot, 100);
    assertThat(download.stalledPeer(10 * STALL_MILLIS)).isEmpty();
  }

  @Test
  void aStallerThatDeliversOtherBlocksIsStillDropped() {
    ChainSnapshot snapshot = exhaustWindow(0);
    deliverToChain(trunk.get(2).hash());
    deliverToChain(trunk.get(3).hash());
    assign(A, 60, snapshot, 100);
    download.noteWindowStall(snapshot, 100);
    assertThat(download.stalledPeer(STALL_MILLIS - 1)).isEmpty();
    assertThat(download.stalledPeer(STALL_MILLIS)).hasValue(A);
  }

  @Test
  void aStallerThatSaysNotFoundIsNotDroppedAndTheNextHolderGetsAFreshGrace() {
    ChainSnapshot snapshot = exhaustWindow(0);
    download.notFound(A, trunk.get(1).hash());
    assertThat(download.assign(D, 100, onBest(snapshot, 60), snapshot, 1_500)).containsExactly(trunk.get(1).hash());
    download.noteWindowStall(snapshot, 1_500);
    assertThat(download.stalledPeer(1_500 + STALL_MILLIS - 1)).isEmpty();
    assertThat(download.stalledPeer(1_500 + STALL_MILLIS)).hasValue(D);
  }

  @Test
  void theTipMovingEndsTheStall() {
    exhaustWindow(0);
    download.tipMoved(trunkAt(0));
    assertThat(download.stalledPeer(100 * STALL_MILLIS)).isEmpty();
  }

  @Test
  void theStallerLeavingEndsTheStall() {
    exhaustWindow(0);
    download.peerGone(A);
    assertThat(download.stalledPeer(100 * STALL_MILLIS)).isEmpty();
  }

  @Test
  void anotherPeerLeavingKeepsTheStall() {
    exhaustWindow(0);
    download.peerGone(B);
    assertThat(download.stalledPeer(STALL_MILLIS)).hasValue(A);
  }

  @Test
  void noticingTheSameStallAgainKeepsItsStartTime() {
    ChainSnapshot snapshot = exhaustWindow(0);
    download.noteWindowStall(snapshot, 1_500);
    assertThat(download.stalledPeer(STALL_MILLIS)).hasValue(A);
  }

  @Test
  void theGraceDoublesPerDropUpToTheMaximumAndShrinksWhileTheTipMoves() {
    ChainSnapshot snapshot = trunkAt(0);
    long now = 0;
    long staller = 100;
    for (long expectedGrace : new long[] {2_000, 4_000, 8_000, 8_000, 8_000}) {
      staller++;
      assertThat(download.assign(staller, 100, onBest(snapshot, 60), snapshot, now)).containsExactlyElementsOf(trunkRange(1, WINDOW));
      download.noteWindowStall(snapshot, now);
      assertThat(download.stallTimeoutMillis()).isEqualTo(expectedGrace);
      assertThat(download.stalledPeer(now + expectedGrace - 1)).isEmpty();
      now += expectedGrace;
      assertThat(download.stalledPeer(now)).hasValue(staller);
      download.peerGone(staller);
    }
    long[] shrinking = {6_800, 5_780, 4_913, 4_176, 3_549, 3_016, 2_563, 2_178, 2_000, 2_000};
    for (long expected : shrinking) {
      download.tipMoved(snapshot);
      assertThat(download.stallTimeoutMillis()).isEqualTo(expected);
    }
  }

  // ------------------------------------------------------------ randomised model

  /**
   * Random deliveries, refusals, notfounds, departures and chain outcomes on one best chain,
   * checked against a plain model of what is handled: every assignment must be exactly the
   * lowest unhandled heights the peer can serve inside the window, so never one twice.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void assignmentsMatchAModelOfHandledHeights(long seed) {
    new Model(new Random(seed)).run(3_000);
  }

  private final class Model {
    private final Random random;
    private final Map<Hash, Long> inFlight = new HashMap<>();
    private final Set<Hash> atChain = new HashSet<>();
    private final Set<Hash> storedAhead = new HashSet<>();
    private final Map<Long, Integer> peerHeights = new HashMap<>();
    private long nextPeer = 1;
    private int tip;
    private long now;

    Model(Random random) {
      this.random = random;
      for (int i = 0; i < 3; i++) {
        addPeer();
      }
    }

    private void addPeer() {
      peerHeights.put(nextPeer++, random.nextInt(4) == 0 ? random.nextInt(61) : 60);
    }

    void run(int steps) {
      for (int step = 0; step < steps && tip < 60; step++) {
        now += random.nextInt(100);
        switch (random.nextInt(8)) {
          case 0, 1, 2 -> assignToRandomPeer();
          case 3 -> deliverRandom();
          case 4, 5 -> processRandom();
          case 6 -> notFoundRandom();
          default -> {
            if (random.nextInt(4) == 0) {
              peerLeaves();
            } else {
              assignToRandomPeer();
            }
          }
        }
        checkCounts();
      }
      assertThat(tip).as("the model makes progress").isEqualTo(60);
    }

    private void assignToRandomPeer() {
      long peer = randomOf(peerHeights.keySet());
      int free = PER_PEER - download.inFlightCount(peer);
      if (free <= 0) {
        return;
      }
      int peerHeight = peerHeights.get(peer);
      List<Hash> expected = new ArrayList<>();
      for (int h = tip + 1; h <= Math.min(Math.min(tip + WINDOW, 60), peerHeight) && expected.size() < free; h++) {
        Hash hash = trunk.get(h).hash();
        if (!inFlight.containsKey(hash) && !atChain.contains(hash) && !storedAhead.contains(hash)) {
          expected.add(hash);
        }
      }
      List<Hash> assigned = download.assign(peer, free, onBest(trunkAt(tip), peerHeight), trunkAt(tip), now);
      assertThat(assigned).as("assignment to peer %d (height %d) above tip %d", peer, peerHeight, tip)
          .containsExactlyElementsOf(expected);
      assigned.forEach(hash -> inFlight.put(hash, peer));
    }

    private void deliverRandom() {
      if (inFlight.isEmpty()) {
        return;
      }
      Hash hash = randomOf(inFlight.keySet());
      BlockDownload.Request request = download.delivered(hash);
      assertThat(request.peerId()).isEqualTo(inFlight.remove(hash));
      assertThat(request.height()).isEqualTo(height(hash));
      assertThat(download.delivered(hash)).as("delivered twice").isNull();
      if (random.nextInt(10) == 0) {
        download.chainRefused(request.height());
      } else {
        download.handedToChain(hash, request.height());
        atChain.add(hash);
      }
    }

    private void processRandom() {
      if (atChain.isEmpty()) {
        return;
      }
      Hash hash = randomOf(atChain);
      atChain.remove(hash);
      int height = height(hash);
      if (height == tip + 1) {
        download.processed(hash, BlockOutcome.CONNECTED);
        tip = height;
        while (tip < 60 && storedAhead.remove(trunk.get(tip + 1).hash())) {
          tip++;
        }
        download.tipMoved(trunkAt(tip));
        return;
      }
      BlockOutcome outcome = List.of(BlockOutcome.STORED, BlockOutcome.STORED, BlockOutcome.DUPLICATE,
          BlockOutcome.INVALID, BlockOutcome.UNKNOWN_PARENT).get(random.nextInt(5));
      download.processed(hash, outcome);
      if (outcome == BlockOutcome.STORED || outcome == BlockOutcome.DUPLICATE) {
        storedAhead.add(hash);
      }
    }

    private void notFoundRandom() {
      if (inFlight.isEmpty()) {
        return;
      }
      Hash hash = randomOf(inFlight.keySet());
      long holder = inFlight.get(hash);
      long sender = random.nextBoolean() ? holder : randomOf(peerHeights.keySet());
      download.notFound(sender, hash);
      if (sender == holder) {
        inFlight.remove(hash);
      }
    }

    private void peerLeaves() {
      long peer = randomOf(peerHeights.keySet());
      peerHeights.remove(peer);
      download.peerGone(peer);
      inFlight.values().removeIf(holder -> holder == peer);
      assertThat(download.inFlightCount(peer)).isZero();
      if (peerHeights.isEmpty()) {
        assertThat(download.nothingInFlight()).isTrue();
      }
      addPeer();
    }

    private void checkCounts() {
      assertThat(download.inFlightCount()).isEqualTo(inFlight.size());
      assertThat(download.atChainCount()).isEqualTo(atChain.size());
      assertThat(download.nothingInFlight()).isEqualTo(inFlight.isEmpty());
      for (long peer : peerHeights.keySet()) {
        assertThat(download.inFlightCount(peer)).isEqualTo(inFlight.values().stream().filter(p -> p == peer).count());
      }
    }

    private <T> T randomOf(Set<T> set) {
      List<T> list = new ArrayList<>(set);
      list.sort(java.util.Comparator.comparing(Object::toString)); // hash-order independent
      return list.get(random.nextInt(list.size()));
    }
  }
}
