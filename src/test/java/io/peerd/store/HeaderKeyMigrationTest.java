package io.peerd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.chain.Chain;
import io.peerd.chain.NetworkParameters;
import io.peerd.testing.TestChains;
import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A store written in format 1 (header entries and tip keyed by hash alone) opens, is re-keyed by
 * height, and holds the same chain; a migration killed halfway goes on at the next open.
 */
class HeaderKeyMigrationTest {
  private static final int BLOCKS = 30;

  @TempDir
  Path directory;

  @Test
  void aFormatOneStoreIsReKeyedByHeightAsItOpens() throws Exception {
    Hash tip = writeChain();
    toFormatOne(height -> true);

    assertHoldsTheChain(tip);
    assertThat(hashKeyedEntries()).as("entries left under their hash").isZero();
  }

  @Test
  void aMigrationKilledHalfwayGoesOnWhenTheStoreOpensAgain() throws Exception {
    Hash tip = writeChain();
    toFormatOne(height -> height % 2 == 0); // as a kill between two of the migration's batches leaves it

    assertHoldsTheChain(tip);
    assertThat(hashKeyedEntries()).isZero();
  }

  @Test
  void aFormatOneTipWithoutItsHeaderEntryIsAClearError() throws Exception {
    writeChain();
    toFormatOne(height -> true);
    try (RawStore raw = RawStore.open(directory)) {
      raw.db.put(raw.meta(), RocksChainStore.KEY_TIP, new byte[Hash.SIZE_BYTES]);
    }
    assertThatThrownBy(() -> RocksChainStore.open(directory, "regtest")).isInstanceOf(StoreException.class)
        .hasMessageContaining("has no header entry");
  }

  /** A chain of {@value #BLOCKS} mined blocks through {@link Chain}, as a node writes it; returns the tip. */
  private Hash writeChain() {
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      Chain chain = Chain.open(NetworkParameters.REGTEST, store, () -> Long.MAX_VALUE / 2);
      for (Block block : TestChains.mine(BLOCKS)) {
        chain.acceptBlock(block, block.serialize(true));
      }
      return chain.tip().hash();
    }
  }

  private void assertHoldsTheChain(Hash tip) {
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      assertThat(store.bestTip()).contains(new ChainStore.Tip(BLOCKS, tip));
      assertThat(StoreInvariants.violations(store)).isEmpty();
      List<StoredHeader> all = new ArrayList<>();
      store.forEachHeader(all::add);
      assertThat(all).hasSize(BLOCKS + 1);
      Chain chain = Chain.open(NetworkParameters.REGTEST, store, () -> Long.MAX_VALUE / 2);
      assertThat(chain.tip().hash()).isEqualTo(tip);
    }
    RocksChainStore.open(directory, "regtest").close(); // format 2 now: opens without migrating
  }

  /** Rewrites the chosen heights' entries under their hash alone, and the tip and marker as format 1 had them. */
  private void toFormatOne(IntPredicate heights) throws RocksDBException {
    try (RawStore raw = RawStore.open(directory); RocksIterator entries = raw.db.newIterator(raw.headers())) {
      for (entries.seekToFirst(); entries.isValid(); entries.next()) {
        if (heights.test(HeaderKeys.height(entries.key()))) {
          raw.db.put(raw.headers(), HeaderKeys.hash(entries.key()).toByteArray(), entries.value());
          raw.db.delete(raw.headers(), entries.key());
        }
      }
      byte[] tipKey = RocksChainStore.KEY_TIP;
      raw.db.put(raw.meta(), tipKey, HeaderKeys.hash(raw.db.get(raw.meta(), tipKey)).toByteArray());
      raw.db.put(raw.meta(), RocksChainStore.KEY_FORMAT, (RocksChainStore.FORMAT_MARKER + " "
          + HeaderKeyMigration.FROM_FORMAT).getBytes(StandardCharsets.UTF_8));
    }
  }

  private int hashKeyedEntries() throws RocksDBException {
    int count = 0;
    try (RawStore raw = RawStore.open(directory); RocksIterator entries = raw.db.newIterator(raw.headers())) {
      for (entries.seekToFirst(); entries.isValid(); entries.next()) {
        count += entries.key().length == Hash.SIZE_BYTES ? 1 : 0;
      }
    }
    return count;
  }

  /** The store's RocksDB opened directly, below {@link RocksChainStore}. */
  private record RawStore(RocksDB db, DBOptions options, List<ColumnFamilyHandle> handles) implements AutoCloseable {
    static RawStore open(Path directory) throws RocksDBException {
      List<ColumnFamilyDescriptor> descriptors = RocksChainStore.FAMILIES.stream()
          .map(name -> new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8))).toList();
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      DBOptions options = new DBOptions();
      return new RawStore(RocksDB.open(options, directory.toString(), descriptors, handles), options, handles);
    }

    ColumnFamilyHandle meta() {
      return handles.getFirst();
    }

    ColumnFamilyHandle headers() {
      return handles.get(1);
    }

    @Override
    public void close() {
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      options.close();
    }
  }
}
