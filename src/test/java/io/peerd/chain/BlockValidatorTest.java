package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.testing.MainnetData;
import io.peerd.wire.Block;
import io.peerd.wire.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockValidatorTest {
  private final BlockValidator mainnet = new BlockValidator(NetworkParameters.MAINNET);

  @Test
  void realSingleBlocksPassAtTheirHeights() throws Exception {
    for (int height : MainnetData.SINGLE_BLOCK_HEIGHTS) {
      Block block = Block.fromBytes(MainnetData.block(height));
      assertThat(ProofOfWork.check(block.hash(), block.header().bits(), NetworkParameters.MAINNET.powLimit())).isTrue();
      mainnet.check(block, height);
      assertThat(block.weight()).isLessThanOrEqualTo(BlockValidator.MAX_BLOCK_WEIGHT);
    }
  }

  @Test
  void segwitBlockCarriesAMatchingWitnessCommitment() throws Exception {
    Block block = Block.fromBytes(MainnetData.block(481829));
    assertThat(block.hasWitness()).isTrue();
    assertThat(BlockValidator.witnessCommitmentIndex(block.transactions().get(0))).isNotNegative();
    NetworkParameters m = NetworkParameters.MAINNET;
    NetworkParameters segwitLater = new NetworkParameters(m.name(), m.magic(), m.defaultPort(), m.genesis(),
        m.powLimit(), m.retargetIntervalBlocks(), m.targetTimespanSeconds(), m.targetSpacingSeconds(),
        m.allowMinDifficultyBlocks(), m.noRetargeting(), m.enforceBip94(), m.bip34Height(), m.bip66Height(),
        m.bip65Height(), 481830, m.checkpoints(), m.minimumChainWork(), m.chainTxData());
    assertThatThrownBy(() -> new BlockValidator(segwitLater).check(block, 481829))
        .as("witness data before activation").hasMessageStartingWith("unexpected-witness");
  }

  @Test
  void tamperedWitnessBreaksTheCommitmentButNotTheMerkleRoot() throws Exception {
    Block block = Block.fromBytes(MainnetData.block(481829));
    List<Transaction> txs = new ArrayList<>(block.transactions());
    int index = indexOfFirstWitnessTx(txs);
    Transaction tx = txs.get(index);
    assertThat(tx.hasWitness()).isTrue();
    List<Transaction.Input> inputs = new ArrayList<>(tx.inputs());
    Transaction.Input first = inputs.get(0);
    List<byte[]> witness = new ArrayList<>(first.witness());
    byte[] item = witness.get(0).clone();
    item[item.length - 1] ^= 1;
    witness.set(0, item);
    inputs.set(0, new Transaction.Input(first.previousOutput(), first.scriptSig(), first.sequence(), witness));
    txs.set(index, new Transaction(tx.version(), inputs, tx.outputs(), tx.lockTime()));
    Block tampered = new Block(block.header(), txs);
    assertThatThrownBy(() -> mainnet.check(tampered, 481829)).hasMessageStartingWith("bad-witness-merkle-match");
  }

  private static int indexOfFirstWitnessTx(List<Transaction> txs) {
    for (int i = 0; i < txs.size(); i++) {
      if (txs.get(i).hasWitness()) {
        return i; // the coinbase's witness reserved value counts: it enters the commitment too
      }
    }
    throw new AssertionError("no witness transaction");
  }

  /** CVE-2012-2459: repeating the last transactions keeps the merkle root but must be refused. */
  @Test
  void duplicatedTransactionsWithAnUnchangedMerkleRootAreRefused() throws Exception {
    Block block = firstSingleBlockWithOddTransactionCount();
    int height = heightOf(block);
    List<Transaction> txs = new ArrayList<>(block.transactions());
    txs.add(txs.get(txs.size() - 1));
    Block mutated = new Block(block.header(), txs);
    assertThat(MerkleTree.compute(mutated.transactions().stream().map(Transaction::txid).toList()).root())
        .isEqualTo(block.header().merkleRoot());
    assertThatThrownBy(() -> mainnet.check(mutated, height)).hasMessageStartingWith("bad-txns-duplicate");
  }

  private static Block firstSingleBlockWithOddTransactionCount() throws Exception {
    for (int height : MainnetData.SINGLE_BLOCK_HEIGHTS) {
      Block block = Block.fromBytes(MainnetData.block(height));
      if (block.transactions().size() % 2 == 1) {
        return block;
      }
    }
    throw new AssertionError("no real block with an odd transaction count");
  }

  private static int heightOf(Block block) throws Exception {
    for (int height : MainnetData.SINGLE_BLOCK_HEIGHTS) {
      if (Block.fromBytes(MainnetData.block(height)).hash().equals(block.hash())) {
        return height;
      }
    }
    throw new AssertionError("unknown block");
  }

  @Test
  void refusesWrongMerkleRootMissingOrExtraCoinbaseAndMissingHeight() throws Exception {
    Block block = Block.fromBytes(MainnetData.block(383616));
    List<Transaction> txs = block.transactions();
    assertThatThrownBy(() -> mainnet.check(new Block(block.header(), txs.subList(0, txs.size() - 1)), 383616))
        .hasMessageStartingWith("bad-txnmrklroot");
    assertThatThrownBy(() -> mainnet.check(block, 383617)).as("another height than the coinbase says")
        .hasMessageStartingWith("bad-cb-height");
    List<Transaction> twoCoinbases = new ArrayList<>(txs);
    twoCoinbases.set(txs.size() - 1, txs.get(0));
    assertThatThrownBy(() -> mainnet.check(rootFixed(block, twoCoinbases), 383616))
        .hasMessageStartingWith("bad-cb-multiple");
    List<Transaction> noCoinbase = new ArrayList<>(txs.subList(1, txs.size()));
    assertThatThrownBy(() -> mainnet.check(rootFixed(block, noCoinbase), 383616))
        .hasMessageStartingWith("bad-cb-missing");
  }

  @Test
  void blocksOverTheWeightLimitAreRefused() throws Exception {
    Block block = Block.fromBytes(MainnetData.block(481815));
    List<Transaction> txs = new ArrayList<>(block.transactions());
    txs.addAll(block.transactions().subList(1, 200)); // ~ +200 KB of legacy bytes
    assertThatThrownBy(() -> mainnet.check(rootFixed(block, txs), 481815)).hasMessageStartingWith("bad-blk-");
  }

  private static Block rootFixed(Block block, List<Transaction> txs) {
    io.peerd.wire.BlockHeader old = block.header();
    io.peerd.wire.Hash root = MerkleTree.compute(txs.stream().map(Transaction::txid).toList()).root();
    return new Block(new io.peerd.wire.BlockHeader(old.version(), old.previousHash(), root, old.time(), old.bits(),
        old.nonce()), txs);
  }
}
