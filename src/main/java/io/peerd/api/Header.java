package io.peerd.api;

import io.peerd.chain.HeaderNode;
import io.peerd.wire.BlockHeader;

/**
 * A block header and where it sits: its height in its chain (the best chain or a fork).
 *
 * @param merkleRoot in display order, as {@code getblockheader} shows it
 * @param timeSeconds the header's timestamp, seconds since the epoch
 * @param bits the compact difficulty target
 */
public record Header(BlockHash hash, int height, BlockHash previousHash, int version, String merkleRoot,
    long timeSeconds, int bits, long nonce) {

  static Header of(HeaderNode node) {
    BlockHeader header = node.header();
    return new Header(BlockHash.of(node.hash()), node.height(), BlockHash.of(header.previousHash()), header.version(),
        header.merkleRoot().toString(), header.time(), header.bits(), header.nonce());
  }
}
