package io.peerd.store;

import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.math.BigInteger;

/**
 * One entry of the header index as stored: the header, its height, the cumulative chain work up
 * to and including it, its validation status and whether its full block is stored.
 */
public record StoredHeader(BlockHeader header, int height, BigInteger chainWork, HeaderStatus status,
    boolean hasBlock) {

  public StoredHeader {
    if (height < 0 || chainWork.signum() < 0) {
      throw new IllegalArgumentException("height and chain work must be non-negative");
    }
  }

  public Hash hash() {
    return header.hash();
  }

  public StoredHeader withStatus(HeaderStatus newStatus) {
    return new StoredHeader(header, height, chainWork, newStatus, hasBlock);
  }

  public StoredHeader withBlock() {
    return new StoredHeader(header, height, chainWork, status, true);
  }
}
