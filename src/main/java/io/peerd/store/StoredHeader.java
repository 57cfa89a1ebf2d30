package io.peerd.store;

import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.math.BigInteger;

/**
 * One entry of the header index as stored: the header, its height, the cumulative chain work up
 * to and including it, its validation status, whether its full block is stored, and how many
 * transactions that block holds.
 *
 * @param txCount transactions in the block; 0 when unknown: the block is not stored, or the entry
 *     was written by a peerd that did not record the count (entry format 1)
 */
public record StoredHeader(BlockHeader header, int height, BigInteger chainWork, HeaderStatus status,
    boolean hasBlock, int txCount) {

  public StoredHeader {
    if (height < 0 || chainWork.signum() < 0 || txCount < 0) {
      throw new IllegalArgumentException("height, chain work and transaction count must be non-negative");
    }
  }

  public Hash hash() {
    return header.hash();
  }
}
