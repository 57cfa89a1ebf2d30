package io.peerd.chain;

import io.peerd.wire.Block;
import io.peerd.wire.ByteSlice;
import io.peerd.wire.Hash;
import io.peerd.wire.Sha256;
import io.peerd.wire.Transaction;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Checks a block's body against its (already accepted) header, as Bitcoin Core's CheckBlock and
 * ContextualCheckBlock do short of transaction finality: merkle root and its mutation, legacy
 * size, coinbase placement, each transaction on its own ({@link TransactionValidator}), legacy
 * sigops, BIP34 height, the segwit witness commitment and weight. Scripts and the UTXO set are
 * out of scope.
 */
public final class BlockValidator {
  public static final int MAX_BLOCK_WEIGHT = 4_000_000;
  public static final int WITNESS_SCALE_FACTOR = 4;
  /** Each legacy sigop costs {@link #WITNESS_SCALE_FACTOR}, so a block holds at most 20,000. */
  private static final int MAX_BLOCK_SIGOPS_COST = 80_000;
  /** OP_RETURN, push 36, then the commitment tag aa21a9ed (BIP141). */
  private static final byte[] WITNESS_COMMITMENT_PREFIX = HexFormat.of().parseHex("6a24aa21a9ed");
  private static final int WITNESS_COMMITMENT_SCRIPT_BYTES = 38;
  /** Core's BLOCK_MUTATED reasons; see {@link #mayBeMutated}. */
  private static final Set<String> MUTATION_REASONS = Set.of("bad-txnmrklroot", "bad-txns-duplicate",
      "bad-witness-nonce-size", "bad-witness-merkle-match", "unexpected-witness");

  private final NetworkParameters params;

  public BlockValidator(NetworkParameters params) {
    this.params = params;
  }

  /** Every check of {@code block}, which sits at {@code height}, in Core's order (see {@link #mayBeMutated}). */
  public void check(Block block, int height) throws VerificationException {
    checkMerkleRoot(block);
    checkLegacySize(block);
    checkCoinbasePlacement(block);
    checkTransactions(block);
    checkLegacySigOps(block);
    checkCoinbaseHeight(block, height);
    checkWitness(block, height);
    checkWeight(block);
  }

  /**
   * Whether a block refused for {@code reason} may be a corrupted copy of a valid block with the
   * same header, so that only the copy is refused and the header stays valid. The merkle root
   * commits to every byte outside witnesses, and it is checked first (a mismatch or the
   * CVE-2012-2459 duplication is a mutation); so every later check that reads only those bytes
   * (sizes, coinbase, each transaction's rules, sigops, BIP34 height) fails for the header's one
   * and only block, and invalidates the header, as Core's CheckBlock does. Witness data is
   * committed only by the witness commitment: its checks are mutations, and weight, which counts
   * witness bytes, comes after them, so a copy padded with witness data fails as a mutation.
   */
  public static boolean mayBeMutated(String reason) {
    return MUTATION_REASONS.contains(reason);
  }

  private static void checkMerkleRoot(Block block) throws VerificationException {
    List<Hash> txids = new ArrayList<>(block.transactions().size());
    for (Transaction tx : block.transactions()) {
      txids.add(tx.txid());
    }
    MerkleTree.Root root = MerkleTree.compute(txids);
    if (!root.root().equals(block.header().merkleRoot())) {
      throw new VerificationException("bad-txnmrklroot", "merkle root mismatch in block " + block.hash());
    }
    if (root.mutated()) {
      throw new VerificationException("bad-txns-duplicate", "duplicate transaction in block " + block.hash());
    }
  }

  /**
   * At least one transaction and at most 1,000,000 bytes without witness data. The count limit
   * follows from the size limit (a transaction has at least 10 bytes); like Core, it is checked
   * first because it costs nothing, before the size walks every transaction.
   */
  private static void checkLegacySize(Block block) throws VerificationException {
    int txCount = block.transactions().size();
    if (txCount == 0 || (long) txCount * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) {
      throw new VerificationException("bad-blk-length", "block has " + txCount + " transactions");
    }
    int baseSizeBytes = block.serializedSize(false);
    if ((long) baseSizeBytes * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) {
      throw new VerificationException("bad-blk-length", "base size " + baseSizeBytes + " bytes exceeds 1,000,000");
    }
  }

  private static void checkCoinbasePlacement(Block block) throws VerificationException {
    List<Transaction> txs = block.transactions();
    if (!txs.get(0).isCoinbase()) {
      throw new VerificationException("bad-cb-missing", "first transaction is not a coinbase");
    }
    for (int i = 1; i < txs.size(); i++) {
      if (txs.get(i).isCoinbase()) {
        throw new VerificationException("bad-cb-multiple", "more than one coinbase");
      }
    }
  }

  private static void checkTransactions(Block block) throws VerificationException {
    for (Transaction tx : block.transactions()) {
      TransactionValidator.check(tx);
    }
  }

  private static void checkLegacySigOps(Block block) throws VerificationException {
    long sigOps = 0;
    for (Transaction tx : block.transactions()) {
      sigOps += TransactionValidator.legacySigOpCount(tx);
    }
    if (sigOps * WITNESS_SCALE_FACTOR > MAX_BLOCK_SIGOPS_COST) {
      throw new VerificationException("bad-blk-sigops", sigOps + " legacy sigops in block " + block.hash());
    }
  }

  private void checkCoinbaseHeight(Block block, int height) throws VerificationException {
    if (height < params.bip34Height()) {
      return;
    }
    ByteSlice script = block.transactions().get(0).inputs().get(0).scriptSig();
    if (!script.matchesAt(0, Script.heightPush(height))) {
      throw new VerificationException("bad-cb-height", "coinbase does not start with height " + height);
    }
  }

  private void checkWitness(Block block, int height) throws VerificationException {
    boolean segwitActive = height >= params.segwitHeight();
    Transaction coinbase = block.transactions().get(0);
    int commitmentIndex = segwitActive ? witnessCommitmentIndex(coinbase) : -1;
    if (commitmentIndex >= 0) {
      checkCommitment(block, coinbase, coinbase.outputs().get(commitmentIndex).scriptPubKey());
    } else if (block.hasWitness()) {
      throw new VerificationException("unexpected-witness", "block " + block.hash() + " has witness data "
          + (segwitActive ? "but no witness commitment" : "before segwit activation"));
    }
  }

  /** Index of the last coinbase output that carries a witness commitment, or -1. */
  static int witnessCommitmentIndex(Transaction coinbase) {
    List<Transaction.Output> outputs = coinbase.outputs();
    for (int i = outputs.size() - 1; i >= 0; i--) {
      ByteSlice script = outputs.get(i).scriptPubKey();
      if (script.length() >= WITNESS_COMMITMENT_SCRIPT_BYTES && script.matchesAt(0, WITNESS_COMMITMENT_PREFIX)) {
        return i;
      }
    }
    return -1;
  }

  private static void checkCommitment(Block block, Transaction coinbase, ByteSlice commitmentScript)
      throws VerificationException {
    List<ByteSlice> reserved = coinbase.inputs().get(0).witness();
    if (reserved.size() != 1 || reserved.get(0).length() != Hash.SIZE_BYTES) {
      throw new VerificationException("bad-witness-nonce-size", "coinbase witness must be one 32-byte item");
    }
    byte[] expected = commitment(block, reserved.get(0).toByteArray());
    if (!commitmentScript.matchesAt(WITNESS_COMMITMENT_PREFIX.length, expected)) {
      throw new VerificationException("bad-witness-merkle-match", "witness commitment mismatch in " + block.hash());
    }
  }

  /** dSHA256(witness merkle root || reserved value); the coinbase counts as wtxid zero. */
  public static byte[] commitment(Block block, byte[] reservedValue) {
    List<Hash> wtxids = new ArrayList<>(block.transactions().size());
    wtxids.add(Hash.ZERO);
    for (int i = 1; i < block.transactions().size(); i++) {
      wtxids.add(block.transactions().get(i).wtxid());
    }
    byte[] input = new byte[2 * Hash.SIZE_BYTES];
    MerkleTree.compute(wtxids).root().copyTo(input, 0);
    System.arraycopy(reservedValue, 0, input, Hash.SIZE_BYTES, Hash.SIZE_BYTES);
    return Sha256.doubleHash(input);
  }

  private static void checkWeight(Block block) throws VerificationException {
    int weight = block.weight();
    if (weight > MAX_BLOCK_WEIGHT) {
      throw new VerificationException("bad-blk-weight", "weight " + weight + " exceeds " + MAX_BLOCK_WEIGHT);
    }
  }
}
