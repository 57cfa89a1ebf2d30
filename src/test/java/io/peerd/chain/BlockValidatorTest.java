package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.testing.MainnetData;
import io.peerd.testing.TestNetworks;
import io.peerd.testing.TestBlocks;
import io.peerd.testing.TestChains;
import io.peerd.wire.Block;
import io.peerd.wire.ByteSlice;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockValidatorTest {
  private static final long MAX_MONEY_SATOSHIS = Transaction.MAX_MONEY_SATOSHIS;
  private static final int MAX_LEGACY_BLOCK_BYTES =
      BlockValidator.MAX_BLOCK_WEIGHT / BlockValidator.WITNESS_SCALE_FACTOR;
  private static final byte[] OP_TRUE = {Script.OP_1};
  private final BlockValidator mainnet = new BlockValidator(NetworkParameters.MAINNET);
  private final BlockValidator regtest = new BlockValidator(NetworkParameters.REGTEST);
  /** A valid regtest block at height 1 with just its coinbase, which the test transactions spend. */
  private final Block mined = TestChains.mine(1).get(0);
  private final Transaction.OutPoint coinbaseOutput = TestBlocks.firstOutput(mined.transactions().get(0));

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
    NetworkParameters segwitLater = TestNetworks.withSegwitHeight(NetworkParameters.MAINNET, 481830);
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
    List<ByteSlice> witness = new ArrayList<>(first.witness());
    byte[] item = witness.get(0).toByteArray();
    item[item.length - 1] ^= 1;
    witness.set(0, ByteSlice.copyOf(item));
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

  // ---------------------------------------------------------------- CheckTransaction, on regtest blocks

  @Test
  void aTransactionWithoutInputsIsRefused() {
    assertRefused(withTx(TestBlocks.spending(List.of(), List.of(pays(1)))), "bad-txns-vin-empty");
  }

  @Test
  void aTransactionWithoutOutputsIsRefused() {
    assertRefused(withTx(spend()), "bad-txns-vout-empty");
  }

  /** In a block the block's own legacy size limit fires first, so the transaction is checked alone. */
  @Test
  void aTransactionOverAMillionBytesWithoutWitnessIsOversize() throws Exception {
    TransactionValidator.check(spendOfBaseSize(MAX_LEGACY_BLOCK_BYTES));
    Transaction over = spendOfBaseSize(MAX_LEGACY_BLOCK_BYTES + 1);
    assertThatThrownBy(() -> TransactionValidator.check(over)).isInstanceOfSatisfying(VerificationException.class,
        e -> assertThat(e.reason()).isEqualTo("bad-txns-oversize"));
    assertRefused(withTx(over), "bad-blk-length");
  }

  @Test
  void anOutputMayNotBeNegative() throws Exception {
    assertPasses(withTx(spend(pays(0))));
    assertRefused(withTx(spend(pays(-1))), "bad-txns-vout-negative");
  }

  @Test
  void anOutputPaysAtMostTwentyOneMillionBitcoin() throws Exception {
    assertPasses(withTx(spend(pays(MAX_MONEY_SATOSHIS))));
    assertRefused(withTx(spend(pays(MAX_MONEY_SATOSHIS + 1))), "bad-txns-vout-toolarge");
  }

  @Test
  void allOutputsTogetherPayAtMostTwentyOneMillionBitcoin() throws Exception {
    assertPasses(withTx(spend(pays(MAX_MONEY_SATOSHIS - 1), pays(1))));
    assertRefused(withTx(spend(pays(MAX_MONEY_SATOSHIS), pays(1))), "bad-txns-txouttotal-toolarge");
  }

  /** CVE-2018-17144. */
  @Test
  void aTransactionMayNotSpendOneOutpointTwice() throws Exception {
    Transaction.OutPoint sameTxOtherIndex = new Transaction.OutPoint(coinbaseOutput.txid(), 1);
    List<Transaction.Output> outputs = List.of(pays(1));
    assertPasses(withTx(TestBlocks.spending(List.of(coinbaseOutput, sameTxOtherIndex), outputs)));
    assertRefused(withTx(TestBlocks.spending(List.of(coinbaseOutput, sameTxOtherIndex, coinbaseOutput), outputs)),
        "bad-txns-inputs-duplicate");
  }

  @Test
  void aCoinbaseScriptHasTwoToAHundredBytes() throws Exception {
    byte[] height = Script.heightPush(1); // OP_1: the BIP34 check alone accepts this one byte
    assertRefused(TestBlocks.withCoinbaseScript(mined, height), "bad-cb-length");
    assertPasses(TestBlocks.withCoinbaseScript(mined, Arrays.copyOf(height, 2)));
    assertPasses(TestBlocks.withCoinbaseScript(mined, Arrays.copyOf(height, 100)));
    assertRefused(TestBlocks.withCoinbaseScript(mined, Arrays.copyOf(height, 101)), "bad-cb-length");
  }

  /** With two inputs the transaction is no coinbase, so its null input would spend nothing. */
  @Test
  void onlyACoinbaseSpendsTheNullOutpoint() {
    assertRefused(withTx(TestBlocks.spending(List.of(coinbaseOutput, Transaction.OutPoint.NULL), List.of(pays(1)))),
        "bad-txns-prevout-null");
  }

  // ---------------------------------------------------------------- CheckBlock's own limits

  @Test
  void aBlockHasTransactionsAndAtMostAMillionBytesWithoutWitness() throws Exception {
    int roomBytes = MAX_LEGACY_BLOCK_BYTES - mined.serializedSize(false);
    assertPasses(withTx(spendOfBaseSize(roomBytes)));
    assertRefused(withTx(spendOfBaseSize(roomBytes + 1)), "bad-blk-length");
    assertRefused(TestBlocks.withTransactions(mined, List.of()), "bad-blk-length");
  }

  /** 20,000 legacy sigops in all, counted in scriptSigs and scriptPubKeys of every transaction. */
  @Test
  void aBlockHoldsAtMostTwentyThousandLegacySigOps() throws Exception {
    Transaction first = spendWithScripts(coinbaseOutput, new byte[0], repeated(Script.OP_CHECKMULTISIG, 500));
    byte[] tenThousand = repeated(Script.OP_CHECKMULTISIGVERIFY, 500);
    Transaction.OutPoint firstOutput = TestBlocks.firstOutput(first);
    assertPasses(withTx(first, spendWithScripts(firstOutput, new byte[0], tenThousand)));
    assertRefused(withTx(first, spendWithScripts(firstOutput, new byte[] {(byte) Script.OP_CHECKSIG}, tenThousand)),
        "bad-blk-sigops");
  }

  @Test
  void legacySigOpsSkipPushedBytesAndStopAtAPushPastTheEnd() {
    assertThat(sigOps("ac" + "ad" + "ae" + "af")).isEqualTo(42);
    assertThat(sigOps("02acac" + "4c02acac" + "4d0200acac" + "4e02000000acac" + "ac")).as("pushed bytes are data")
        .isEqualTo(1);
    assertThat(sigOps("ac" + "4c05acac" + "ac")).as("push longer than the rest").isEqualTo(1);
    assertThat(sigOps("ac" + "4effffffffac")).as("a 4 GiB push length, read unsigned").isEqualTo(1);
    assertThat(sigOps("ac" + "4d01")).as("a cut length field").isEqualTo(1);
  }

  /** Weight counts witness bytes, so it is checked after the witness commitment vouched for them. */
  @Test
  void aBlockWithCommittedWitnessDataWeighsAtMostFourMillion() throws Exception {
    int probeItemBytes = 1_000_000; // an item length with the same varint size as the answer's
    int overheadWeight = withCommittedWitness(probeItemBytes).weight() - probeItemBytes;
    assertPasses(withCommittedWitness(BlockValidator.MAX_BLOCK_WEIGHT - overheadWeight));
    assertRefused(withCommittedWitness(BlockValidator.MAX_BLOCK_WEIGHT - overheadWeight + 1), "bad-blk-weight");
  }

  /**
   * The mined block plus a spend of its coinbase whose witness is one item of {@code itemBytes}
   * (a witness byte weighs 1), and its coinbase committing to that witness.
   */
  private Block withCommittedWitness(int itemBytes) {
    Transaction witnessed = TestBlocks.withWitness(spend(pays(1)), new byte[itemBytes]);
    byte[] reserved = new byte[Hash.SIZE_BYTES];
    Transaction coinbase = mined.transactions().get(0);
    byte[] commitment = BlockValidator.commitment(new Block(mined.header(), List.of(coinbase, witnessed)), reserved);
    byte[] commitmentScript = HexFormat.of().parseHex("6a24aa21a9ed" + HexFormat.of().formatHex(commitment));
    Transaction withCommitment = new Transaction(coinbase.version(), coinbase.inputs(),
        List.of(coinbase.outputs().get(0), new Transaction.Output(0, commitmentScript)), coinbase.lockTime());
    Transaction committing = TestBlocks.withWitness(withCommitment, reserved);
    return TestBlocks.withTransactions(mined, List.of(committing, witnessed));
  }

  private static int sigOps(String scriptHex) {
    return Script.legacySigOpCount(ByteSlice.copyOf(HexFormat.of().parseHex(scriptHex)));
  }

  private static byte[] repeated(int opcode, int times) {
    byte[] script = new byte[times];
    Arrays.fill(script, (byte) opcode);
    return script;
  }

  private static Transaction.Output pays(long satoshis) {
    return new Transaction.Output(satoshis, OP_TRUE);
  }

  /** A spend of the mined coinbase paying {@code outputs}. */
  private Transaction spend(Transaction.Output... outputs) {
    return TestBlocks.spending(List.of(coinbaseOutput), List.of(outputs));
  }

  private static Transaction spendWithScripts(Transaction.OutPoint spent, byte[] scriptSig, byte[] scriptPubKey) {
    return new Transaction(2, List.of(new Transaction.Input(spent, scriptSig, 0xffffffffL, List.of())),
        List.of(new Transaction.Output(1, scriptPubKey)), 0);
  }

  /** A spend of the mined coinbase padded to {@code baseSizeBytes} by its output script (OP_0s: no sigops). */
  private Transaction spendOfBaseSize(int baseSizeBytes) {
    int probeScriptBytes = baseSizeBytes / 2; // a script length with the same varint size as the answer's
    int overheadBytes = spendWithScripts(coinbaseOutput, new byte[0], new byte[probeScriptBytes]).serializedSize(false)
        - probeScriptBytes;
    Transaction tx = spendWithScripts(coinbaseOutput, new byte[0], new byte[baseSizeBytes - overheadBytes]);
    assertThat(tx.serializedSize(false)).isEqualTo(baseSizeBytes);
    return tx;
  }

  /** The mined block with {@code txs} after its coinbase, merkle root recomputed and mined again. */
  private Block withTx(Transaction... txs) {
    return TestBlocks.withExtraTransactions(mined, txs);
  }

  private void assertPasses(Block block) throws VerificationException {
    regtest.check(block, 1);
  }

  private void assertRefused(Block block, String reason) {
    assertThatThrownBy(() -> regtest.check(block, 1)).isInstanceOfSatisfying(VerificationException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static Block rootFixed(Block block, List<Transaction> txs) {
    io.peerd.wire.BlockHeader old = block.header();
    io.peerd.wire.Hash root = MerkleTree.compute(txs.stream().map(Transaction::txid).toList()).root();
    return new Block(new io.peerd.wire.BlockHeader(old.version(), old.previousHash(), root, old.time(), old.bits(),
        old.nonce()), txs);
  }
}
