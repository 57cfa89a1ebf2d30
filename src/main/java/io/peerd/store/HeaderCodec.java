package io.peerd.store;

import io.peerd.wire.BlockHeader;
import io.peerd.wire.ByteReader;
import io.peerd.wire.ByteWriter;
import io.peerd.wire.WireException;
import java.math.BigInteger;

/**
 * The stored form of a header entry: format version (1 byte), 80-byte header, height (4),
 * status (1), has-block flag (1), the block's transaction count (4, from format 2 on), then the
 * chain work as unsigned big-endian bytes to the end.
 *
 * <p>Entries are written in format 2 and read in both: a format 1 entry, written before peerd
 * recorded transaction counts, reads with a count of 0 (unknown). The count goes before the chain
 * work because the work, of no fixed length, runs to the end of the entry.
 */
final class HeaderCodec {
  private static final int FORMAT_WITHOUT_TX_COUNT = 1;
  private static final int FORMAT_VERSION = 2;

  private HeaderCodec() {}

  static byte[] encode(StoredHeader entry) {
    byte[] work = entry.chainWork().toByteArray();
    ByteWriter writer = new ByteWriter(1 + BlockHeader.SIZE_BYTES + 10 + work.length);
    writer.writeU8(FORMAT_VERSION);
    entry.header().write(writer);
    writer.writeI32(entry.height()).writeU8(entry.status().ordinal()).writeBoolean(entry.hasBlock());
    writer.writeI32(entry.txCount());
    writer.writeBytes(work);
    return writer.toByteArray();
  }

  static StoredHeader decode(byte[] value) {
    try {
      ByteReader reader = new ByteReader(value);
      int version = reader.readU8("entry format");
      if (version != FORMAT_VERSION && version != FORMAT_WITHOUT_TX_COUNT) {
        throw new StoreException("header entry has unknown format version " + version);
      }
      BlockHeader header = BlockHeader.read(reader);
      int height = reader.readI32("height");
      int status = reader.readU8("status");
      boolean hasBlock = reader.readBoolean("has-block flag");
      int txCount = version == FORMAT_WITHOUT_TX_COUNT ? 0 : reader.readI32("transaction count");
      if (status >= HeaderStatus.values().length || !reader.hasRemaining()) {
        throw new StoreException("header entry " + header.hash() + " is corrupt");
      }
      BigInteger work = new BigInteger(reader.readBytes(reader.remaining(), "chain work"));
      return new StoredHeader(header, height, work, HeaderStatus.values()[status], hasBlock, txCount);
    } catch (WireException | IllegalArgumentException e) {
      throw new StoreException("corrupt header entry: " + e.getMessage(), e);
    }
  }
}
