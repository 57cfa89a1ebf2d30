package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.store.HeaderStatus;
import io.peerd.store.RocksChainStore;
import io.peerd.store.StoreInvariants;
import io.peerd.testing.MainnetData;
import io.peerd.testing.TestNetworks;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.WireException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real mainnet blocks 0..438 through the real chain and the real store. They have far less than
 * mainnet's minimum chain work, so most tests take them as a node told {@code -minimumchainwork=0}.
 */
class MainnetChainTest {
  private static final String BLOCK_438 = "0000000025c6b644f8add734be7e666fa4afa43ca0204d623a0c0b1fd2104c7a";
  private static final NetworkParameters WITHOUT_MINIMUM_WORK =
      TestNetworks.withMinimumChainWork(NetworkParameters.MAINNET, BigInteger.ZERO);
  private static List<byte[]> rawBlocks;
  private static List<Block> blocks;

  @TempDir
  Path directory;

  @BeforeAll
  static void load() throws WireException {
    rawBlocks = MainnetData.blocks0To438();
    blocks = new ArrayList<>();
    for (byte[] raw : rawBlocks) {
      blocks.add(Block.fromBytes(raw));
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void everyHeaderHasProofOfWorkAndLinksAndEveryMerkleRootMatches() throws VerificationException {
    assertThat(blocks).hasSize(439);
    BlockValidator validator = new BlockValidator(NetworkParameters.MAINNET);
    for (int height = 0; height < blocks.size(); height++) {
      Block block = blocks.get(height);
      assertThat(ProofOfWork.check(block.hash(), block.header().bits(), NetworkParameters.MAINNET.powLimit())).isTrue();
      if (height > 0) {
        assertThat(block.header().previousHash()).isEqualTo(blocks.get(height - 1).hash());
      }
      validator.check(block, height);
    }
  }

  @Test
  void aHeaderAtACheckpointsHeightMustBeTheCheckpoint() throws VerificationException {
    HeaderNode genesis = new HeaderNode(blocks.get(0).header(), null, HeaderStatus.VALID, true);
    BlockHeader first = blocks.get(1).header();
    HeaderValidator matching = validatorWithCheckpoint(new Checkpoint(1, first.hash()));
    HeaderValidator other = validatorWithCheckpoint(new Checkpoint(1, blocks.get(2).hash()));

    matching.check(first, genesis);
    assertThatThrownBy(() -> other.check(first, genesis)).isInstanceOfSatisfying(VerificationException.class,
        e -> assertThat(e.reason()).isEqualTo("checkpoint mismatch"));
  }

  private static HeaderValidator validatorWithCheckpoint(Checkpoint checkpoint) {
    return new HeaderValidator(TestNetworks.withCheckpoints(NetworkParameters.MAINNET, List.of(checkpoint)),
        MainnetChainTest::now);
  }

  @Test
  void ignoresAShortBatchOfRealHeadersBelowTheMinimumChainWork() {
    try (RocksChainStore store = RocksChainStore.open(directory, "main")) {
      Chain chain = Chain.open(NetworkParameters.MAINNET, store, MainnetChainTest::now);
      Chain.HeadersResult result = chain.acceptHeaders(blocks.stream().skip(1).map(Block::header).toList());
      assertThat(result.rejection().orElseThrow().reason()).isEqualTo("too-little-chainwork");
      assertThat(result.acceptedCount()).isZero();
      assertThat(chain.headerCount()).isOne();
      assertThat(store.header(1, blocks.get(1).hash())).isEmpty();
    }
  }

  @Test
  void acceptsBlocks0To438IntoTheStoreAndReopensToTheSameTip() {
    long transactions = blocks.stream().mapToLong(block -> block.transactions().size()).sum();
    try (RocksChainStore store = RocksChainStore.open(directory, "main")) {
      Chain chain = Chain.open(WITHOUT_MINIMUM_WORK, store, MainnetChainTest::now);
      List<BlockHeader> headers = blocks.stream().skip(1).map(Block::header).toList();
      assertThat(chain.acceptHeaders(headers).rejection()).isEmpty();
      assertThat(chain.bestHeader().height()).isEqualTo(438);
      for (int height = 1; height < blocks.size(); height++) {
        Chain.BlockResult result = chain.acceptBlock(blocks.get(height), rawBlocks.get(height));
        assertThat(result.rejection()).isEmpty();
        assertThat(result.outcome()).isEqualTo(Chain.BlockOutcome.CONNECTED);
      }
      assertThat(chain.tipHeight()).isEqualTo(438);
      assertThat(chain.tip().hash()).hasToString(BLOCK_438);
      assertThat(chain.tip().chainTxCount()).isEqualTo(transactions).isGreaterThan(439);
      assertThat(StoreInvariants.violations(store)).isEmpty();
    }
    try (RocksChainStore store = RocksChainStore.open(directory, "main")) {
      Chain reopened = Chain.open(WITHOUT_MINIMUM_WORK, store, MainnetChainTest::now);
      assertThat(reopened.tip().hash()).hasToString(BLOCK_438);
      assertThat(reopened.tip().chainTxCount()).as("counted again from the stored per-block counts")
          .isEqualTo(transactions);
      assertThat(reopened.tip().ancestor(170).txCount()).as("the first block with a payment").isEqualTo(2);
      assertThat(reopened.bestHeader().height()).isEqualTo(438);
      assertThat(reopened.block(reopened.tip().hash())).contains(rawBlocks.get(438));
    }
  }

  /**
   * Flipping any single bit of any header byte must get the header refused: the hash changes,
   * so proof of work fails, or (rarely, never here) the link to the parent or the merkle root.
   */
  @Test
  void refusesTheChainWhenAnyHeaderByteIsFlipped() throws WireException {
    Random random = new Random(438);
    try (RocksChainStore store = RocksChainStore.open(directory, "main")) {
      Chain chain = Chain.open(WITHOUT_MINIMUM_WORK, store, MainnetChainTest::now);
      int tries = 0;
      for (int height = 1; height < blocks.size(); height += 1 + random.nextInt(6)) {
        for (int position : positionsToFlip(height, random)) {
          byte[] raw = rawBlocks.get(height).clone();
          raw[position] ^= (byte) (1 << random.nextInt(8));
          Block tampered = Block.fromBytes(raw);
          List<BlockHeader> headers = new ArrayList<>(blocks.subList(1, height).stream().map(Block::header).toList());
          headers.add(tampered.header());
          Chain.HeadersResult result = chain.acceptHeaders(headers);
          assertThat(result.rejection()).as("byte %d of header %d", position, height).isPresent();
          assertThat(result.acceptedCount()).isEqualTo(height - 1);
          assertThat(chain.acceptBlock(tampered, raw).outcome())
              .isIn(Chain.BlockOutcome.INVALID, Chain.BlockOutcome.UNKNOWN_PARENT);
          tries++;
        }
      }
      assertThat(tries).isGreaterThan(500);
      assertThat(chain.bestHeader().height()).isLessThan(438);
    }
  }

  /** Every byte of the first, a middle and the last header; a few random bytes of the others. */
  private static int[] positionsToFlip(int height, Random random) {
    if (height == 1 || height == 219 || height == 438) {
      return java.util.stream.IntStream.range(0, BlockHeader.SIZE_BYTES).toArray();
    }
    return random.ints(4, 0, BlockHeader.SIZE_BYTES).toArray();
  }
}
