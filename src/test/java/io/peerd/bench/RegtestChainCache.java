package io.peerd.bench;

import io.peerd.chain.BlockBuilder;
import io.peerd.chain.Chain;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.store.ChainStore;
import io.peerd.store.RocksChainStore;
import io.peerd.store.StoreBatch;
import io.peerd.store.StoredHeader;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Peerd data directories holding a regtest chain of N coinbase-only blocks, built once and kept
 * under a cache folder keyed by N, so that benchmark reruns skip the mining.
 *
 * <p>The chain is deterministic: block {@code h} has time {@link #FIRST_BLOCK_TIME} + h (in the
 * past, so any number of blocks stays clear of the 2-hour future limit, which a node mining at
 * the wall clock hits after about 40,000 fast blocks: each block must be after the median of the
 * last 11, so block times run ahead of the clock by one second per six blocks).
 *
 * <p>Built in two passes, because {@code Chain} rebuilds its height index of the tip chain on
 * every tip move (O(height) per block, so mining N blocks in order costs O(N²)): mine every
 * block against a throw-away header tree, then write the headers (2,000 per batch) and the blocks
 * in descending height order into a RocksDB store, so the tip moves once, at the last block.
 */
final class RegtestChainCache {
  /** Bump when the chain's recipe or the store's format changes, so old caches are not reused. */
  private static final String RECIPE = "v2";
  /** 2020-09-13: block times go up by one second per block from here. */
  static final long FIRST_BLOCK_TIME = 1_600_000_000L;
  private static final int HEADERS_PER_BATCH = 2_000;
  private static final String COMPLETE_MARKER = "complete";

  private final Path cacheDir;

  RegtestChainCache(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /** A fresh copy of the N-block data directory at {@code target} (built into the cache first if absent). */
  void copyTo(int blocks, Path target) throws IOException {
    Path cached = ensureBuilt(blocks);
    copyTree(cached.resolve("data"), target);
  }

  /** The cached folder (with a {@code data} directory inside) for {@code blocks}, building it if needed. */
  Path ensureBuilt(int blocks) throws IOException {
    Path dir = cacheDir.resolve("peerd-regtest-" + blocks + "-" + RECIPE);
    if (Files.exists(dir.resolve(COMPLETE_MARKER))) {
      return dir;
    }
    deleteTree(dir);
    Path building = cacheDir.resolve(dir.getFileName() + ".building");
    deleteTree(building);
    long start = System.nanoTime();
    List<Block> chain = mine(blocks);
    long mined = System.nanoTime();
    Path data = building.resolve("data");
    store(chain, TestNodes.regtest(data).networkDirectory().resolve("chain"));
    long stored = System.nanoTime();
    Files.writeString(building.resolve(COMPLETE_MARKER),
        String.format("mined %d blocks in %.1f s, stored them in %.1f s%n", blocks,
            (mined - start) / 1e9, (stored - mined) / 1e9));
    Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
    System.out.printf("built the %,d-block peerd regtest chain once (cached in %s): mined in %.1f s, written"
        + " to RocksDB in %.1f s%n", blocks, dir, (mined - start) / 1e9, (stored - mined) / 1e9);
    return dir;
  }

  /** The chain's blocks, heights 1..N. */
  private static List<Block> mine(int blocks) {
    Chain tree = Chain.open(NetworkParameters.REGTEST, new NoStore(), () -> Long.MAX_VALUE / 4);
    BlockBuilder builder = new BlockBuilder(NetworkParameters.REGTEST);
    byte[] payTo = TestNodes.regtestScript();
    List<Block> chain = new ArrayList<>(blocks);
    HeaderNode parent = tree.tip();
    for (int height = 1; height <= blocks; height++) {
      Block block = builder.mine(parent, payTo, 0, FIRST_BLOCK_TIME + height);
      Chain.HeadersResult result = tree.acceptHeaders(List.of(block.header()));
      if (result.rejection().isPresent()) {
        throw new IllegalStateException("mined header refused at height " + height, result.rejection().get());
      }
      parent = tree.header(block.hash()).orElseThrow();
      chain.add(block);
    }
    return chain;
  }

  private static void store(List<Block> blocks, Path storeDir) {
    try (RocksChainStore store = RocksChainStore.open(storeDir, NetworkParameters.REGTEST.name())) {
      Chain chain = Chain.open(NetworkParameters.REGTEST, store, () -> System.currentTimeMillis() / 1000);
      for (int from = 0; from < blocks.size(); from += HEADERS_PER_BATCH) {
        List<Block> batch = blocks.subList(from, Math.min(blocks.size(), from + HEADERS_PER_BATCH));
        Chain.HeadersResult result = chain.acceptHeaders(batch.stream().map(Block::header).toList());
        if (result.rejection().isPresent()) {
          throw new IllegalStateException("header refused", result.rejection().get());
        }
      }
      for (Block block : blocks.reversed()) {
        Chain.BlockResult result = chain.acceptBlock(block, block.serialize(true));
        if (result.rejection().isPresent()) {
          throw new IllegalStateException("block refused", result.rejection().get());
        }
      }
      Hash last = blocks.isEmpty() ? chain.tip().hash() : blocks.getLast().hash();
      if (!chain.tip().hash().equals(last)) {
        throw new IllegalStateException("tip is " + chain.tip() + ", not the last block mined");
      }
    }
  }

  static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** A store that keeps nothing: the mining pass only needs the in-memory header tree. */
  private static final class NoStore implements ChainStore {
    @Override
    public void write(StoreBatch batch) {}

    @Override
    public void forEachHeader(Consumer<StoredHeader> sink) {}

    @Override
    public Optional<StoredHeader> header(int height, Hash hash) {
      return Optional.empty();
    }

    @Override
    public Optional<Tip> bestTip() {
      return Optional.empty();
    }

    @Override
    public Optional<Hash> hashAtHeight(int height) {
      return Optional.empty();
    }

    @Override
    public Optional<byte[]> block(Hash hash) {
      return Optional.empty();
    }

    @Override
    public Optional<byte[]> fact(String name) {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }
}
