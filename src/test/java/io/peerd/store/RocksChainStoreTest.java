package io.peerd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.chain.NetworkParameters;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.ByteWriter;
import io.peerd.wire.Hash;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksChainStoreTest {
  @TempDir
  Path directory;

  /** A synthetic linked chain of {@code count} entries on regtest genesis (no proof of work needed here). */
  private static List<StoredHeader> chain(int count, int fork) {
    Block genesis = NetworkParameters.REGTEST.genesis();
    List<StoredHeader> entries = new ArrayList<>();
    entries.add(new StoredHeader(genesis.header(), 0, BigInteger.TWO, HeaderStatus.VALID, true, 1));
    for (int height = 1; height < count; height++) {
      StoredHeader parent = entries.get(height - 1);
      BlockHeader header = new BlockHeader(4, parent.hash(), Hash.ZERO, 1_700_000_000L + height, 0x207fffff, fork);
      entries.add(new StoredHeader(header, height, parent.chainWork().add(BigInteger.TWO), HeaderStatus.VALID, true,
          height + 1));
    }
    return entries;
  }

  private static StoreBatch batchOf(List<StoredHeader> entries, int forkHeight) {
    StoreBatch batch = new StoreBatch();
    for (StoredHeader entry : entries.subList(forkHeight + 1, entries.size())) {
      batch.putHeader(entry).putBlock(entry.hash(), entry.header().serialize());
    }
    return batch.moveBestChain(forkHeight, entries.subList(forkHeight + 1, entries.size()).stream()
        .map(StoredHeader::hash).toList());
  }

  @Test
  void roundTripsHeadersBlocksAndTheBestChainThroughReopen() {
    List<StoredHeader> entries = chain(10, 0);
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      assertThat(store.bestTip()).isEmpty();
      store.write(batchOf(entries, -1));
    }
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      assertThat(store.bestTip()).contains(new ChainStore.Tip(9, entries.get(9).hash()));
      assertThat(store.header(5, entries.get(5).hash())).contains(entries.get(5));
      assertThat(store.header(4, entries.get(5).hash())).as("looked up at another height").isEmpty();
      assertThat(store.hashAtHeight(9)).contains(entries.get(9).hash());
      assertThat(store.hashAtHeight(10)).isEmpty();
      assertThat(store.block(entries.get(3).hash())).contains(entries.get(3).header().serialize());
      List<StoredHeader> all = new ArrayList<>();
      store.forEachHeader(all::add);
      assertThat(all).containsExactlyInAnyOrderElementsOf(entries);
      assertThat(StoreInvariants.violations(store)).isEmpty();
    }
  }

  /** Keys start with the height, so a sync's headers go in at the end of the sorted family (HeaderKeys). */
  @Test
  void headerEntriesAreKeptInHeightOrder() {
    List<StoredHeader> entries = chain(300, 0);
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      store.write(batchOf(entries, -1));
      List<Integer> heights = new ArrayList<>();
      store.forEachHeader(entry -> heights.add(entry.height()));
      assertThat(heights).hasSize(300).isSorted();
    }
  }

  @Test
  void aFactIsWrittenWithItsBatchAndKeptApartFromTheStoresOwnKeys() {
    List<StoredHeader> entries = chain(3, 0);
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      store.write(batchOf(entries, -1).putFact("tip", new byte[] {7}));
    }
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      assertThat(store.fact("tip")).hasValueSatisfying(value -> assertThat(value).containsExactly(7));
      assertThat(store.bestTip()).as("the store's own 'tip' key is untouched").contains(new ChainStore.Tip(2, entries.get(2).hash()));
      assertThat(store.fact("absent")).isEmpty();
    }
  }

  @Test
  void aShorterHeavierBranchReplacesTheHeightIndexAboveTheFork() {
    List<StoredHeader> first = chain(10, 0);
    List<StoredHeader> second = new ArrayList<>(first.subList(0, 5));
    for (int height = 5; height < 8; height++) {
      StoredHeader parent = second.get(height - 1);
      BlockHeader header = new BlockHeader(4, parent.hash(), Hash.ZERO, 1, 0x207fffff, 99);
      second.add(new StoredHeader(header, height, parent.chainWork().add(BigInteger.TEN), HeaderStatus.VALID, true, 1));
    }
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      store.write(batchOf(first, -1));
      store.write(batchOf(second, 4));
      assertThat(store.bestTip()).contains(new ChainStore.Tip(7, second.get(7).hash()));
      assertThat(store.hashAtHeight(7)).contains(second.get(7).hash());
      assertThat(store.hashAtHeight(8)).isEmpty();
      assertThat(StoreInvariants.violations(store)).isEmpty();
    }
  }

  /** Format 1, before transaction counts: version, header, height, status, has-block flag, chain work. */
  @Test
  void readsHeaderEntriesWrittenBeforeTransactionCountsWithAnUnknownCount() {
    StoredHeader entry = chain(3, 0).get(2);
    byte[] work = entry.chainWork().toByteArray();
    ByteWriter formatOne = new ByteWriter(1 + BlockHeader.SIZE_BYTES + 6 + work.length).writeU8(1);
    entry.header().write(formatOne);
    formatOne.writeI32(entry.height()).writeU8(entry.status().ordinal()).writeBoolean(true).writeBytes(work);

    StoredHeader read = HeaderCodec.decode(formatOne.toByteArray());
    assertThat(read).isEqualTo(new StoredHeader(entry.header(), 2, entry.chainWork(), HeaderStatus.VALID, true, 0));
    assertThat(HeaderCodec.decode(HeaderCodec.encode(entry)).txCount()).isEqualTo(3);
  }

  @Test
  void invariantsCatchAStoreWhoseTipIsNotBackedByBlocks() {
    List<StoredHeader> entries = chain(5, 0);
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      StoreBatch withoutLastBlock = new StoreBatch();
      entries.forEach(withoutLastBlock::putHeader);
      entries.subList(0, 4).forEach(e -> withoutLastBlock.putBlock(e.hash(), e.header().serialize()));
      store.write(withoutLastBlock.moveBestChain(-1, entries.stream().map(StoredHeader::hash).toList()));
      assertThat(StoreInvariants.violations(store)).singleElement().asString().contains("is not stored");
    }
  }

  @Test
  void refusesAnotherNetworksStore() {
    RocksChainStore.open(directory, "regtest").close();
    assertThatThrownBy(() -> RocksChainStore.open(directory, "main"))
        .isInstanceOf(StoreException.class).hasMessageContaining("holds a regtest chain, not main");
  }

  @Test
  void refusesADirectoryThatIsNotAPeerdStore() throws Exception {
    Files.writeString(directory.resolve("notes.txt"), "my files");
    assertThatThrownBy(() -> RocksChainStore.open(directory, "regtest"))
        .isInstanceOf(StoreException.class).hasMessageContaining("is not a peerd store");
    assertThat(directory.resolve("notes.txt")).hasContent("my files");
  }

  @Test
  void refusesACorruptStore() throws Exception {
    RocksChainStore.open(directory, "regtest").close();
    Files.writeString(directory.resolve("CURRENT"), "MANIFEST-999999\n");
    assertThatThrownBy(() -> RocksChainStore.open(directory, "regtest")).isInstanceOf(StoreException.class)
        .hasMessageContaining(directory.toString());
  }

  @Test
  void refusesADirectoryInUseAndClosesIdempotently() {
    RocksChainStore first = RocksChainStore.open(directory, "regtest");
    assertThatThrownBy(() -> RocksChainStore.open(directory, "regtest"))
        .isInstanceOf(StoreException.class).hasMessageContaining("in use by another process");
    first.close();
    first.close();
    RocksChainStore.open(directory, "regtest").close();
  }

  /** A peer serving getdata as the node closes: a clean error, never a read of freed native memory. */
  @Test
  void everyUseAfterCloseFailsWithAStoreError() {
    RocksChainStore store = RocksChainStore.open(directory, "regtest");
    Hash genesis = NetworkParameters.REGTEST.genesisHash();
    store.close();

    assertThatThrownBy(() -> store.block(genesis)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> store.header(0, genesis)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.bestTip()).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.forEachHeader(header -> { })).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.write(new StoreBatch())).isInstanceOf(StoreException.class);
  }
}
