package io.peerd.store;

import io.peerd.wire.Hash;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a store of format 1, whose header entries and tip were keyed by hash alone, to store format 2
 * ({@link HeaderKeys}: height, then hash). Each batch of at most {@value #ENTRIES_PER_BATCH}
 * entries is one atomic write that puts the new keys and deletes the old ones, so a kill at any
 * moment leaves every entry under exactly one key, and the next open goes on from there. The last
 * batch writes the tip in its new form together with the new format marker: until it lands, the
 * store reads as format 1.
 */
final class HeaderKeyMigration {
  static final int FROM_FORMAT = 1;
  /** Bounds the memory of one batch: about 140 bytes an entry. */
  static final int ENTRIES_PER_BATCH = 10_000;
  private static final Logger log = LoggerFactory.getLogger(HeaderKeyMigration.class);

  private final RocksDB db;
  private final WriteOptions writeOptions;
  private final ColumnFamilyHandle meta;
  private final ColumnFamilyHandle headers;

  HeaderKeyMigration(RocksDB db, WriteOptions writeOptions, ColumnFamilyHandle meta, ColumnFamilyHandle headers) {
    this.db = db;
    this.writeOptions = writeOptions;
    this.meta = meta;
    this.headers = headers;
  }

  /** Re-keys every entry left under its hash, then writes the tip and {@code newFormat} under their keys. */
  void run(byte[] tipKey, byte[] formatKey, byte[] newFormat) throws RocksDBException {
    long startNanos = System.nanoTime();
    byte[] tipValue = db.get(meta, tipKey);
    Hash tip = tipValue == null ? null : Hash.wrap(tipValue);
    int tipHeight = -1;
    int moved = 0;
    WriteBatch batch = new WriteBatch();
    try (RocksIterator entries = db.newIterator(headers)) { // reads the family as it was when created
      for (entries.seekToFirst(); entries.isValid(); entries.next()) {
        byte[] key = entries.key();
        boolean hashKeyed = key.length == Hash.SIZE_BYTES;
        Hash hash = hashKeyed ? Hash.wrap(key) : HeaderKeys.hash(key);
        int height = hashKeyed ? HeaderCodec.decode(entries.value()).height() : HeaderKeys.height(key);
        if (hash.equals(tip)) {
          tipHeight = height;
        }
        if (hashKeyed) {
          batch.put(headers, HeaderKeys.of(height, hash), entries.value());
          batch.delete(headers, key);
          moved++;
        }
        if (batch.count() >= 2 * ENTRIES_PER_BATCH) {
          db.write(writeOptions, batch);
          batch.close();
          batch = new WriteBatch();
        }
      }
      entries.status();
      if (tip != null) {
        if (tipHeight < 0) {
          throw new StoreException("the stored tip " + tip + " has no header entry");
        }
        batch.put(meta, tipKey, HeaderKeys.of(tipHeight, tip));
      }
      batch.put(meta, formatKey, newFormat);
      db.write(writeOptions, batch);
    } finally {
      batch.close();
    }
    log.info("store brought to format 2: {} header entries re-keyed by height in {} ms", moved,
        (System.nanoTime() - startNanos) / 1_000_000);
  }
}
