package io.peerd.chain;

import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and mines a coinbase-only block on a parent: BIP34 height push, the required bits, a
 * time after the parent's median time past, and a nonce that meets the target. Meant for
 * regtest (a few tries per block); on other networks grinding would take forever.
 */
public final class BlockBuilder {
  private static final long MAX_NONCE = 0xffffffffL;

  private final NetworkParameters params;

  public BlockBuilder(NetworkParameters params) {
    this.params = params;
  }

  /**
   * @param payTo the coinbase output script
   * @param extraNonce distinguishes otherwise identical blocks (e.g. two forks at one height)
   * @param timeSeconds the wanted block time; raised to parent MTP + 1 if not after it
   */
  public Block mine(HeaderNode parent, byte[] payTo, long extraNonce, long timeSeconds) {
    int height = parent.height() + 1;
    byte[] scriptSig = new Script.Builder().pushNumber(height).pushNumber(extraNonce).build();
    if (scriptSig.length < 2) {
      throw new AssertionError("coinbase scripts are at least two bytes");
    }
    Transaction coinbase = new Transaction(2,
        List.of(new Transaction.Input(Transaction.OutPoint.NULL, scriptSig, 0xffffffffL, List.of())),
        List.of(new Transaction.Output(params.subsidySatoshis(height), payTo)), 0);
    long time = Math.max(timeSeconds, parent.medianTimePast() + 1);
    int bits = Difficulty.nextBits(params, parent, time);
    Hash merkleRoot = MerkleTree.compute(List.of(coinbase.txid())).root();
    BlockHeader header = solve(new BlockHeader(0x20000000, parent.hash(), merkleRoot, time, bits, 0));
    return new Block(header, new ArrayList<>(List.of(coinbase)));
  }

  /** Grinds the nonce of {@code header} until its hash meets its own bits. */
  public static BlockHeader solve(BlockHeader header) {
    byte[] target = ProofOfWork.targetBytes(ProofOfWork.target(header.bits()));
    for (long nonce = 0; nonce <= MAX_NONCE; nonce++) {
      BlockHeader candidate = header.withNonce(nonce);
      if (ProofOfWork.meetsTarget(candidate.hash(), target)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no nonce solves bits " + Integer.toHexString(header.bits()));
  }
}
