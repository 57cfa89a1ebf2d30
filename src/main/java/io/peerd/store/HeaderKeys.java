package io.peerd.store;

import io.peerd.wire.Hash;
import java.nio.ByteBuffer;

/**
 * Keys of the headers column family: the height (4 bytes, big-endian), then the hash. Height
 * first because header sync stores headers in height order: each new key lands beside the
 * previous one in RocksDB's sorted memtable, where a hash-first key landed anywhere and the
 * insert walked the whole skip list (a third of the chain's time per header batch, measured by
 * {@code HeaderChainBenchmark}).
 */
final class HeaderKeys {
  static final int SIZE_BYTES = Integer.BYTES + Hash.SIZE_BYTES;

  private HeaderKeys() {}

  static byte[] of(int height, Hash hash) {
    return ByteBuffer.allocate(SIZE_BYTES).putInt(height).put(hash.toByteArray()).array();
  }

  /** A height big-endian, so keys sort by height: the heights family's keys, and these keys' start. */
  static byte[] heightBytes(int height) {
    return ByteBuffer.allocate(Integer.BYTES).putInt(height).array();
  }

  static int height(byte[] key) {
    checkSize(key);
    return ByteBuffer.wrap(key).getInt();
  }

  static Hash hash(byte[] key) {
    checkSize(key);
    return Hash.wrap(key, Integer.BYTES);
  }

  private static void checkSize(byte[] key) {
    if (key.length != SIZE_BYTES) {
      throw new StoreException("a header key has " + key.length + " bytes, not " + SIZE_BYTES);
    }
  }
}
