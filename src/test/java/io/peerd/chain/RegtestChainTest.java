package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.actor.Mailbox;
import io.peerd.store.HeaderStatus;
import io.peerd.store.RocksChainStore;
import io.peerd.store.StoreInvariants;
import io.peerd.testing.MemoryChainStore;
import io.peerd.testing.TestBlocks;
import io.peerd.testing.TestNetworks;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.Message;
import io.peerd.wire.Transaction;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reorgs, invalid branches, time/version rules and the low-work bound on mined regtest chains. */
class RegtestChainTest {
  private static final byte[] PAY_TO = {Script.OP_RETURN};
  private static final long START_SECONDS = 1_700_000_000L;
  private static final BlockHeader GENESIS = NetworkParameters.REGTEST.genesis().header();

  @TempDir
  Path directory;
  private RocksChainStore store;
  private Chain chain;
  private final BlockBuilder builder = new BlockBuilder(NetworkParameters.REGTEST);
  private long clockSeconds = START_SECONDS + 1_000_000;

  @BeforeEach
  void open() {
    store = RocksChainStore.open(directory, "regtest");
    chain = Chain.open(NetworkParameters.REGTEST, store, () -> clockSeconds);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Mines {@code count} blocks on {@code parent} (each with {@code branch} as extra nonce) and submits them. */
  private List<Block> mineBranch(HeaderNode parent, int count, int branch) {
    List<Block> blocks = new ArrayList<>();
    HeaderNode tip = parent;
    for (int i = 0; i < count; i++) {
      Block block = builder.mine(tip, PAY_TO, branch, START_SECONDS + tip.height() + 1);
      assertThat(chain.acceptBlock(block, block.serialize(true)).rejection()).isEmpty();
      blocks.add(block);
      tip = chain.header(block.hash()).orElseThrow();
    }
    return blocks;
  }

  @Test
  void aHeavierBranchReorganizesTheTip() {
    HeaderNode genesis = chain.tip();
    List<Block> first = mineBranch(genesis, 3, 1);
    assertThat(chain.tip().hash()).isEqualTo(first.get(2).hash());

    List<Block> second = new ArrayList<>();
    HeaderNode tip = genesis;
    Chain.BlockResult last = null;
    for (int i = 0; i < 4; i++) {
      Block block = builder.mine(tip, PAY_TO, 2, START_SECONDS + tip.height() + 1);
      last = chain.acceptBlock(block, block.serialize(true));
      second.add(block);
      tip = chain.header(block.hash()).orElseThrow();
    }
    assertThat(last.outcome()).isEqualTo(Chain.BlockOutcome.CONNECTED);
    Chain.Reorg reorg = last.reorg().orElseThrow();
    assertThat(reorg.forkHeight()).isZero();
    assertThat(reorg.disconnected()).containsExactlyElementsOf(first.stream().map(Block::hash).toList());
    assertThat(reorg.connected()).containsExactlyElementsOf(second.stream().map(Block::hash).toList());
    assertThat(chain.tipHeight()).isEqualTo(4);
    assertThat(store.hashAtHeight(4)).contains(second.get(3).hash());
    assertThat(StoreInvariants.violations(store)).isEmpty();
  }

  @Test
  void equalWorkKeepsTheFirstSeenTip() {
    HeaderNode genesis = chain.tip();
    List<Block> first = mineBranch(genesis, 2, 1);
    mineBranch(genesis, 2, 2);
    assertThat(chain.tip().hash()).isEqualTo(first.get(1).hash());
  }

  @Test
  void blocksArrivingOutOfOrderConnectOnceTheGapIsFilled() {
    HeaderNode genesis = chain.tip();
    List<Block> blocks = new ArrayList<>();
    HeaderNode tip = genesis;
    for (int i = 0; i < 5; i++) {
      Block block = builder.mine(tip, PAY_TO, 0, START_SECONDS + i + 1);
      assertThat(chain.acceptHeaders(List.of(block.header())).rejection()).isEmpty();
      blocks.add(block);
      tip = chain.header(block.hash()).orElseThrow();
    }
    for (int i = 4; i >= 1; i--) {
      assertThat(chain.acceptBlock(blocks.get(i), blocks.get(i).serialize(true)).outcome())
          .isEqualTo(Chain.BlockOutcome.STORED);
    }
    assertThat(chain.tipHeight()).isZero();
    assertThat(chain.bestHeader().height()).isEqualTo(5);
    Chain.BlockResult result = chain.acceptBlock(blocks.get(0), blocks.get(0).serialize(true));
    assertThat(result.reorg().orElseThrow().connected()).hasSize(5);
    assertThat(chain.tipHeight()).isEqualTo(5);
  }

  @Test
  void anInvalidBlockAndItsDescendantsAreRememberedAcrossRestarts() {
    HeaderNode genesis = chain.tip();
    mineBranch(genesis, 1, 0);
    HeaderNode parent = chain.tip();
    Block good = builder.mine(parent, PAY_TO, 7, START_SECONDS + 10);
    // Same header chain position, but a coinbase without the BIP34 height: the body is invalid.
    Block bad = TestBlocks.withCoinbaseScript(good, new byte[] {0x01, 0x63, 0x01, 0x07});
    assertThat(chain.acceptBlock(bad, bad.serialize(true)).rejection().orElseThrow().reason())
        .isEqualTo("bad-cb-height");
    assertThat(chain.header(bad.hash()).orElseThrow().status()).isEqualTo(HeaderStatus.INVALID);

    HeaderNode badNode = chain.header(bad.hash()).orElseThrow();
    BlockHeader child = BlockBuilder.solve(new BlockHeader(0x20000000, bad.hash(), Hash.ZERO,
        START_SECONDS + 20, badNode.header().bits(), 0));
    Chain.HeadersResult result = chain.acceptHeaders(List.of(child));
    assertThat(result.rejection().orElseThrow().reason()).isEqualTo("bad-prevblk");
    assertThat(chain.header(child.hash()).orElseThrow().status()).isEqualTo(HeaderStatus.INVALID_ANCESTOR);

    store.close();
    open();
    assertThat(chain.header(bad.hash()).orElseThrow().status()).isEqualTo(HeaderStatus.INVALID);
    assertThat(chain.header(child.hash()).orElseThrow().status()).isEqualTo(HeaderStatus.INVALID_ANCESTOR);
    assertThat(chain.acceptBlock(bad, bad.serialize(true)).outcome()).isEqualTo(Chain.BlockOutcome.INVALID);
    assertThat(chain.tip().hash()).isEqualTo(parent.hash());
    assertThat(chain.acceptBlock(good, good.serialize(true)).outcome()).isEqualTo(Chain.BlockOutcome.CONNECTED);
  }

  /** A transaction's own rules read only bytes the merkle root commits to: no other body fits the header. */
  @Test
  void aBlockSpendingAnOutpointTwiceInvalidatesItsHeader() {
    Block parent = mineBranch(chain.tip(), 1, 0).get(0);
    Block good = builder.mine(chain.tip(), PAY_TO, 7, START_SECONDS + 10);
    Transaction.OutPoint spent = TestBlocks.firstOutput(parent.transactions().get(0));
    Block bad = TestBlocks.withExtraTransactions(good,
        TestBlocks.spending(List.of(spent, spent), List.of(new Transaction.Output(1, PAY_TO))));

    assertThat(chain.acceptBlock(bad, bad.serialize(true)).rejection().orElseThrow().reason())
        .isEqualTo("bad-txns-inputs-duplicate");
    assertThat(chain.header(bad.hash()).orElseThrow().status()).isEqualTo(HeaderStatus.INVALID);
  }

  /**
   * Witness bytes are outside the merkle root: anyone can pad a copy of a valid block with them,
   * past the weight limit too. Refusing the copy must leave the header valid for the real block.
   */
  @Test
  void aCopyPaddedWithWitnessDataIsRefusedAndItsHeaderStaysValid() {
    Block good = builder.mine(chain.tip(), PAY_TO, 7, START_SECONDS + 10);
    Transaction padded = TestBlocks.withWitness(good.transactions().get(0), new byte[BlockValidator.MAX_BLOCK_WEIGHT]);
    Block copy = new Block(good.header(), List.of(padded));
    assertThat(copy.weight()).isGreaterThan(BlockValidator.MAX_BLOCK_WEIGHT);

    assertThat(chain.acceptBlock(copy, copy.serialize(true)).rejection().orElseThrow().reason())
        .isEqualTo("unexpected-witness");
    assertThat(chain.header(good.hash()).orElseThrow().status()).isEqualTo(HeaderStatus.VALID);
    assertThat(chain.acceptBlock(good, good.serialize(true)).outcome()).isEqualTo(Chain.BlockOutcome.CONNECTED);
  }

  @Test
  void refusesHeadersTooFarInTheFutureOrNotAfterMedianTimePast() {
    mineBranch(chain.tip(), 11, 0);
    HeaderNode tip = chain.tip();
    long medianTimePast = tip.medianTimePast();
    BlockHeader tooOld = header(tip, medianTimePast, 0x20000000);
    assertThat(chain.acceptHeaders(List.of(tooOld)).rejection().orElseThrow().reason()).isEqualTo("time-too-old");
    BlockHeader tooNew = header(tip, clockSeconds + 2 * 60 * 60 + 1, 0x20000000);
    assertThat(chain.acceptHeaders(List.of(tooNew)).rejection().orElseThrow().reason()).isEqualTo("time-too-new");
    BlockHeader justInTime = header(tip, clockSeconds + 2 * 60 * 60, 0x20000000);
    assertThat(chain.acceptHeaders(List.of(justInTime)).rejection()).isEmpty();
  }

  @Test
  void refusesOldVersionsAfterTheirSoftForks() {
    HeaderNode tip = chain.tip();
    assertThat(chain.acceptHeaders(List.of(header(tip, START_SECONDS, 3))).rejection().orElseThrow().reason())
        .isEqualTo("bad-version(0x00000003)");
    assertThat(chain.acceptHeaders(List.of(header(tip, START_SECONDS, 4))).rejection()).isEmpty();
  }

  @Test
  void locatorIsDenseThenExponentialAndEndsAtGenesis() {
    mineBranch(chain.tip(), 40, 0);
    List<Hash> locator = Chain.locator(chain.tip());
    assertThat(locator.get(0)).isEqualTo(chain.tip().hash());
    assertThat(locator.get(locator.size() - 1)).isEqualTo(NetworkParameters.REGTEST.genesisHash());
    assertThat(locator.subList(0, 10)).containsExactlyElementsOf(
        java.util.stream.IntStream.rangeClosed(31, 40).map(h -> 71 - h).mapToObj(h -> chain.hashAtHeight(h).orElseThrow())
            .toList());
    assertThat(locator.size()).isLessThan(20);
  }

  // ------------------------------------------------------------ the bound on low-work headers

  /** Regtest whose minimum chain work is first reached at height 2,999 (genesis counts). */
  private Chain chainWithMinimumWorkAt2999() {
    BigInteger minimum = ProofOfWork.work(NetworkParameters.REGTEST.powLimitBits()).multiply(BigInteger.valueOf(3_000));
    return Chain.open(TestNetworks.withMinimumChainWork(NetworkParameters.REGTEST, minimum), new MemoryChainStore(),
        () -> clockSeconds);
  }

  /** {@code count} valid regtest headers on {@code parent}; {@code branch} tells sibling branches apart. */
  private static List<BlockHeader> headerBranch(BlockHeader parent, int count, int branch) {
    List<BlockHeader> headers = new ArrayList<>(count);
    BlockHeader previous = parent;
    for (int i = 0; i < count; i++) {
      previous = BlockBuilder.solve(new BlockHeader(0x20000000, previous.hash(), Hash.of(new byte[] {(byte) branch}),
          previous.time() + 1, previous.bits(), 0));
      headers.add(previous);
    }
    return headers;
  }

  private static void assertIgnoredForTooLittleWork(Chain.HeadersResult result) {
    assertThat(result.rejection().orElseThrow().reason()).isEqualTo("too-little-chainwork");
    assertThat(result.acceptedCount()).isZero();
  }

  @Test
  void aShortBatchBelowTheMinimumChainWorkIsIgnored() {
    Chain bounded = chainWithMinimumWorkAt2999();
    assertIgnoredForTooLittleWork(bounded.acceptHeaders(headerBranch(GENESIS, Message.MAX_HEADERS - 1, 1)));
    assertThat(bounded.headerCount()).as("nothing stored").isOne();
  }

  @Test
  void aFullBatchBelowTheMinimumIsStoredOnlyIfItOvertakesTheBestHeader() {
    Chain bounded = chainWithMinimumWorkAt2999();
    List<BlockHeader> synced = headerBranch(GENESIS, Message.MAX_HEADERS, 1);
    assertThat(bounded.acceptHeaders(synced).rejection()).as("extends the best header").isEmpty();
    assertThat(bounded.bestHeader().hash()).isEqualTo(synced.getLast().hash());

    assertIgnoredForTooLittleWork(bounded.acceptHeaders(headerBranch(GENESIS, Message.MAX_HEADERS, 2)));
    assertThat(bounded.headerCount()).as("an equal-work fork is not stored").isEqualTo(Message.MAX_HEADERS + 1);

    List<BlockHeader> heavier = headerBranch(synced.getFirst(), Message.MAX_HEADERS, 3);
    assertThat(bounded.acceptHeaders(heavier).rejection()).as("one header more work").isEmpty();
    assertThat(bounded.bestHeader().hash()).isEqualTo(heavier.getLast().hash());
    assertThat(bounded.acceptHeaders(synced).acceptedCount()).as("known headers are not weighed again")
        .isEqualTo(Message.MAX_HEADERS);
  }

  @Test
  void aBatchReachingTheMinimumChainWorkIsStoredWhateverItsSize() {
    Chain bounded = chainWithMinimumWorkAt2999();
    List<BlockHeader> chain = headerBranch(GENESIS, 2_999, 1);
    assertThat(bounded.acceptHeaders(chain.subList(0, Message.MAX_HEADERS)).rejection()).isEmpty();
    assertThat(bounded.acceptHeaders(chain.subList(Message.MAX_HEADERS, 2_999)).rejection()).isEmpty();
    assertThat(bounded.bestHeader().height()).isEqualTo(2_999);
    assertIgnoredForTooLittleWork(bounded.acceptHeaders(headerBranch(GENESIS, 5, 2)));
  }

  @Test
  void aLowWorkBatchCostsItsSenderNoMisbehaviorScore() throws Exception {
    List<Integer> scores = new CopyOnWriteArrayList<>();
    CompletableFuture<Chain.HeadersResult> processed = new CompletableFuture<>();
    ChainActor actor = new ChainActor(chainWithMinimumWorkAt2999(), new ChainActor.Listener() {
      @Override
      public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result) {
        processed.complete(result);
      }

      @Override
      public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {}

      @Override
      public void tipChanged(ChainSnapshot snapshot) {}
    }, () -> clockSeconds, new Mailbox(4), Thread.ofPlatform().factory());
    actor.start();
    try {
      actor.acceptHeaders((score, reason) -> scores.add(score), headerBranch(GENESIS, 10, 1));
      assertThat(processed.get(5, TimeUnit.SECONDS).rejection().orElseThrow().reason()).isEqualTo("too-little-chainwork");
      assertThat(scores).isEmpty();
    } finally {
      actor.stop();
    }
  }

  private static BlockHeader header(HeaderNode parent, long time, int version) {
    return BlockBuilder.solve(new BlockHeader(version, parent.hash(), Hash.ZERO, time, parent.header().bits(), 0));
  }
}
