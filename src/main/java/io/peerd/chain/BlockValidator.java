package io.peerd.chain;

import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import io.peerd.wire.Sha256;
import io.peerd.wire.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks a block's body against its (already accepted) header: merkle root and its mutation,
 * size and weight, coinbase shape, BIP34 height and the segwit witness commitment. Scripts and
 * the UTXO set are out of scope.
 */
public final class BlockValidator {
  public static final int MAX_BLOCK_WEIGHT = 4_000_000;
  public static final int WITNESS_SCALE_FACTOR = 4;
  private static final int MIN_COINBASE_SCRIPT_BYTES = 2;
  private static final int MAX_COINBASE_SCRIPT_BYTES = 100;
  /** OP_RETURN, push 36, then the commitment tag aa21a9ed (BIP141). */
  private static final byte[] WITNESS_COMMITMENT_PREFIX = HexFormat.of().parseHex("6a24aa21a9ed");
  private static final int WITNESS_COMMITMENT_SCRIPT_BYTES = 38;

  private final NetworkParameters params;

  public BlockValidator(NetworkParameters params) {
    this.params = params;
  }

  /** Every check of {@code block}, which sits at {@code height}. */
  public void check(Block block, int height) throws VerificationException {
    checkMerkleRoot(block);
    checkSize(block);
    checkCoinbase(block, height);
    checkWitness(block, height);
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

  private static void checkSize(Block block) throws VerificationException {
    if (block.transactions().isEmpty()) {
      throw new VerificationException("bad-blk-length", "block has no transactions");
    }
    int baseSizeBytes = block.serializedSize(false);
    if ((long) baseSizeBytes * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) {
      throw new VerificationException("bad-blk-length", "base size " + baseSizeBytes + " bytes exceeds 1,000,000");
    }
    int weight = block.weight();
    if (weight > MAX_BLOCK_WEIGHT) {
      throw new VerificationException("bad-blk-weight", "weight " + weight + " exceeds " + MAX_BLOCK_WEIGHT);
    }
  }

  private void checkCoinbase(Block block, int height) throws VerificationException {
    List<Transaction> txs = block.transactions();
    if (!txs.get(0).isCoinbase()) {
      throw new VerificationException("bad-cb-missing", "first transaction is not a coinbase");
    }
    for (int i = 1; i < txs.size(); i++) {
      if (txs.get(i).isCoinbase()) {
        throw new VerificationException("bad-cb-multiple", "more than one coinbase");
      }
    }
    byte[] script = txs.get(0).inputs().get(0).scriptSig();
    if (script.length < MIN_COINBASE_SCRIPT_BYTES || script.length > MAX_COINBASE_SCRIPT_BYTES) {
      throw new VerificationException("bad-cb-length", "coinbase script is " + script.length + " bytes");
    }
    if (height >= params.bip34Height()) {
      byte[] expected = Script.heightPush(height);
      if (script.length < expected.length || !Arrays.equals(script, 0, expected.length, expected, 0, expected.length)) {
        throw new VerificationException("bad-cb-height", "coinbase does not start with height " + height);
      }
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
      byte[] script = outputs.get(i).scriptPubKey();
      if (script.length >= WITNESS_COMMITMENT_SCRIPT_BYTES
          && Arrays.equals(script, 0, WITNESS_COMMITMENT_PREFIX.length, WITNESS_COMMITMENT_PREFIX, 0,
              WITNESS_COMMITMENT_PREFIX.length)) {
        return i;
      }
    }
    return -1;
  }

  private static void checkCommitment(Block block, Transaction coinbase, byte[] commitmentScript)
      throws VerificationException {
    List<byte[]> reserved = coinbase.inputs().get(0).witness();
    if (reserved.size() != 1 || reserved.get(0).length != Hash.SIZE_BYTES) {
      throw new VerificationException("bad-witness-nonce-size", "coinbase witness must be one 32-byte item");
    }
    byte[] expected = commitment(block, reserved.get(0));
    if (!Arrays.equals(commitmentScript, WITNESS_COMMITMENT_PREFIX.length,
        WITNESS_COMMITMENT_PREFIX.length + Hash.SIZE_BYTES, expected, 0, Hash.SIZE_BYTES)) {
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
}
