package io.peerd.store;

import io.peerd.wire.Hash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link ChainStore} on an embedded RocksDB, one column family per kind of record: meta
 * (format marker, network, best tip as height and hash), headers ({@link HeaderKeys}: height and
 * hash -> entry), heights (big-endian height -> best-chain hash) and blocks (hash -> raw block).
 * A store of format 1, whose header entries were keyed by hash alone, is brought to store format 2 as
 * it opens ({@link HeaderKeyMigration}).
 *
 * <p>Durability: every {@link #write} is one RocksDB WriteBatch, so it lands whole or not at all.
 * The write-ahead log is always on. With {@code syncWrites} false (the default) a batch is in
 * the OS page cache when {@code write} returns: a killed process (kill -9) loses nothing; an
 * operating-system crash or power loss may lose the last batches but never leaves a partial one.
 * With {@code syncWrites} true every batch is fsync'd before {@code write} returns.
 */
public final class RocksChainStore implements ChainStore {
  static final String FORMAT_MARKER = "peerd-chain-store";
  private static final int FORMAT_VERSION = 2;
  static final byte[] KEY_FORMAT = bytes("format");
  private static final byte[] KEY_NETWORK = bytes("network");
  static final byte[] KEY_TIP = bytes("tip");
  /** Facts live in the meta family under this prefix, apart from the store's own keys. */
  private static final String FACT_PREFIX = "fact/";
  /** In this order: meta (RocksDB's default family), headers, heights, blocks. */
  static final List<String> FAMILIES = List.of("default", "headers", "heights", "blocks");
  /** A use holds the store for one read or one batch: far less than this, unless the disk hangs. */
  static final long CLOSE_WAIT_MILLIS = 10_000;

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions familyOptions;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle meta;
  private final ColumnFamilyHandle headers;
  private final ColumnFamilyHandle heights;
  private final ColumnFamilyHandle blocks;
  /** Batches written and the time they took (building the batch included), for metrics; any thread reads. */
  private final AtomicLong writeCount = new AtomicLong();
  private final AtomicLong writeNanosTotal = new AtomicLong();
  /**
   * Every use of the native handles holds this shared, and close takes it exclusively: a read
   * that races the close fails with a {@link StoreException} instead of reaching freed native
   * memory. Readers never wait for each other; close waits for the reads in progress.
   */
  private final ReentrantReadWriteLock access = new ReentrantReadWriteLock();
  /** Guarded by {@link #access}. */
  private boolean closed;

  private RocksChainStore(Path directory, DBOptions dbOptions, ColumnFamilyOptions familyOptions,
      WriteOptions writeOptions, RocksDB db, List<ColumnFamilyHandle> handles) {
    this.directory = directory;
    this.dbOptions = dbOptions;
    this.familyOptions = familyOptions;
    this.writeOptions = writeOptions;
    this.db = db;
    this.handles = handles;
    this.meta = handles.get(0);
    this.headers = handles.get(1);
    this.heights = handles.get(2);
    this.blocks = handles.get(3);
  }

  /** Opens (or creates, if absent or empty) the store of {@code network} in {@code directory}. */
  public static RocksChainStore open(Path directory, String network) {
    return open(directory, network, false);
  }

  /**
   * @param syncWrites fsync every batch (survives power loss, slower); false survives kill -9
   * @throws StoreException if the directory is not a peerd store, holds another network, is
   *     corrupt or is in use by another process
   */
  public static RocksChainStore open(Path directory, String network, boolean syncWrites) {
    boolean fresh = isAbsentOrEmpty(directory);
    if (!fresh) {
      checkLooksLikeOurs(directory);
    }
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(fresh).setCreateMissingColumnFamilies(fresh)
        .setParanoidChecks(true);
    ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
    WriteOptions writeOptions = new WriteOptions().setSync(syncWrites);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String family : FAMILIES) {
      descriptors.add(new ColumnFamilyDescriptor(bytes(family), familyOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      Files.createDirectories(directory);
      db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
    } catch (RocksDBException | IOException e) {
      writeOptions.close();
      familyOptions.close();
      dbOptions.close();
      throw openFailure(directory, e);
    }
    RocksChainStore store = new RocksChainStore(directory, dbOptions, familyOptions, writeOptions, db, handles);
    try {
      store.checkOrWriteMeta(network, fresh);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private static boolean isAbsentOrEmpty(Path directory) {
    if (!Files.exists(directory)) {
      return true;
    }
    if (!Files.isDirectory(directory)) {
      throw new StoreException(directory + " is a file, not a data directory");
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new StoreException("cannot read data directory " + directory + ": " + FileErrors.reason(e), e);
    }
  }

  /** A non-empty directory must be a RocksDB with exactly our column families. */
  private static void checkLooksLikeOurs(Path directory) {
    if (!Files.isRegularFile(directory.resolve("CURRENT"))) {
      throw new StoreException(directory + " is not empty and is not a peerd store (no RocksDB CURRENT file); "
          + "refusing to touch it. Choose another --datadir or move its contents away.");
    }
    List<String> found = new ArrayList<>();
    try (org.rocksdb.Options options = new org.rocksdb.Options()) {
      for (byte[] family : RocksDB.listColumnFamilies(options, directory.toString())) {
        found.add(new String(family, StandardCharsets.UTF_8));
      }
    } catch (RocksDBException e) {
      throw openFailure(directory, e);
    }
    if (!found.containsAll(FAMILIES) || found.size() != FAMILIES.size()) {
      throw new StoreException(directory + " holds a RocksDB database that is not a peerd store (column families "
          + found + "); refusing to touch it");
    }
  }

  private static StoreException openFailure(Path directory, Exception e) {
    if (e instanceof RocksDBException rocks && rocks.getStatus() != null) {
      Status.Code code = rocks.getStatus().getCode();
      String state = String.valueOf(rocks.getMessage());
      boolean denied = state.toLowerCase().contains("permission denied"); // a LOCK file we may not open is no lock
      if (code == Status.Code.IOError && state.toLowerCase().contains("lock") && !denied) {
        return new StoreException("data directory " + directory + " is in use by another process (" + state + ")", e);
      }
      if (code == Status.Code.Corruption) {
        return new StoreException("data directory " + directory + " is corrupt: " + state
            + ". peerd does not reset it; restore it or remove it to resync.", e);
      }
    }
    return new StoreException("cannot open data directory " + directory + ": " + FileErrors.reason(e), e);
  }

  private void checkOrWriteMeta(String network, boolean fresh) {
    byte[] format = get(meta, KEY_FORMAT);
    if (format == null && fresh) {
      try (WriteBatch batch = new WriteBatch()) {
        batch.put(meta, KEY_FORMAT, bytes(FORMAT_MARKER + " " + FORMAT_VERSION));
        batch.put(meta, KEY_NETWORK, bytes(network));
        db.write(writeOptions, batch);
      } catch (RocksDBException e) {
        throw failure("write store metadata", e);
      }
      return;
    }
    String marker = format == null ? "" : new String(format, StandardCharsets.UTF_8);
    if (!marker.startsWith(FORMAT_MARKER + " ")) {
      throw new StoreException(directory + " is not a peerd store (no format marker)");
    }
    boolean hashKeyed = marker.equals(FORMAT_MARKER + " " + HeaderKeyMigration.FROM_FORMAT);
    if (!hashKeyed && !marker.equals(FORMAT_MARKER + " " + FORMAT_VERSION)) {
      throw new StoreException(directory + " has store format '" + marker + "'; this peerd reads versions "
          + HeaderKeyMigration.FROM_FORMAT + " and " + FORMAT_VERSION);
    }
    String stored = new String(get(meta, KEY_NETWORK), StandardCharsets.UTF_8);
    if (!stored.equals(network)) {
      throw new StoreException("data directory " + directory + " holds a " + stored + " chain, not " + network);
    }
    if (hashKeyed) {
      try {
        new HeaderKeyMigration(db, writeOptions, meta, headers).run(KEY_TIP, KEY_FORMAT,
            bytes(FORMAT_MARKER + " " + FORMAT_VERSION));
      } catch (RocksDBException e) {
        throw failure("bring the store from format " + HeaderKeyMigration.FROM_FORMAT + " to " + FORMAT_VERSION, e);
      }
    }
  }

  @Override
  public void write(StoreBatch batch) {
    long startNanos = System.nanoTime();
    acquire();
    try (WriteBatch rocksBatch = new WriteBatch()) {
      for (StoredHeader entry : batch.headers()) {
        rocksBatch.put(headers, HeaderKeys.of(entry.height(), entry.hash()), HeaderCodec.encode(entry));
      }
      for (var block : batch.blocks().entrySet()) {
        rocksBatch.put(blocks, block.getKey().toByteArray(), block.getValue());
      }
      for (var fact : batch.facts().entrySet()) {
        rocksBatch.put(meta, factKey(fact.getKey()), fact.getValue());
      }
      if (batch.bestChainMove() != null) {
        addBestChainMove(rocksBatch, batch.bestChainMove());
      }
      db.write(writeOptions, rocksBatch);
      writeNanosTotal.addAndGet(System.nanoTime() - startNanos);
      writeCount.incrementAndGet();
    } catch (RocksDBException e) {
      throw failure("write a batch", e);
    } finally {
      release();
    }
  }

  /** Batches written since open. */
  public long writeCount() {
    return writeCount.get();
  }

  /** Time spent in {@link #write} since open, over {@link #writeCount} batches. */
  public long writeNanosTotal() {
    return writeNanosTotal.get();
  }

  private void addBestChainMove(WriteBatch rocksBatch, StoreBatch.BestChainMove move) throws RocksDBException {
    int oldTipHeight = bestTip().map(Tip::height).orElse(-1);
    int newTipHeight = move.newTipHeight();
    for (int height = newTipHeight + 1; height <= oldTipHeight; height++) {
      rocksBatch.delete(heights, HeaderKeys.heightBytes(height));
    }
    int height = move.forkHeight();
    for (Hash hash : move.connected()) {
      rocksBatch.put(heights, HeaderKeys.heightBytes(++height), hash.toByteArray());
    }
    Hash newTip = move.connected().isEmpty() ? hashAtHeight(newTipHeight).orElseThrow() : move.connected().getLast();
    rocksBatch.put(meta, KEY_TIP, HeaderKeys.of(newTipHeight, newTip));
  }

  @Override
  public void forEachHeader(Consumer<StoredHeader> sink) {
    acquire();
    try (RocksIterator iterator = db.newIterator(headers)) {
      for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
        sink.accept(HeaderCodec.decode(iterator.value()));
      }
      iterator.status();
    } catch (RocksDBException e) {
      throw failure("read headers", e);
    } finally {
      release();
    }
  }

  @Override
  public Optional<StoredHeader> header(int height, Hash hash) {
    return Optional.ofNullable(get(headers, HeaderKeys.of(height, hash))).map(HeaderCodec::decode);
  }

  /** The tip is kept as a header key is: height, then hash. */
  @Override
  public Optional<Tip> bestTip() {
    return Optional.ofNullable(get(meta, KEY_TIP)).map(key -> new Tip(HeaderKeys.height(key), HeaderKeys.hash(key)));
  }

  @Override
  public Optional<Hash> hashAtHeight(int height) {
    if (height < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(get(heights, HeaderKeys.heightBytes(height))).map(Hash::wrap);
  }

  @Override
  public Optional<byte[]> block(Hash hash) {
    return Optional.ofNullable(get(blocks, hash.toByteArray()));
  }

  @Override
  public Optional<byte[]> fact(String name) {
    return Optional.ofNullable(get(meta, factKey(name)));
  }

  private static byte[] factKey(String name) {
    return bytes(FACT_PREFIX + name);
  }

  public Path directory() {
    return directory;
  }

  private byte[] get(ColumnFamilyHandle family, byte[] key) {
    acquire();
    try {
      return db.get(family, key);
    } catch (RocksDBException e) {
      throw failure("read", e);
    } finally {
      release();
    }
  }

  private void acquire() {
    access.readLock().lock();
    if (closed) {
      access.readLock().unlock();
      throw new StoreException("store " + directory + " is closed");
    }
  }

  private void release() {
    access.readLock().unlock();
  }

  private StoreException failure(String action, RocksDBException e) {
    return new StoreException("store " + directory + " failed to " + action + ": " + e.getMessage(), e);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Flushes nothing extra (the WAL is already written) and releases every native handle, once the
   * uses in progress ended; idempotent. Later uses fail with a {@link StoreException}. Waits at
   * most {@link #CLOSE_WAIT_MILLIS} for a use in progress; past that it fails and leaves the store
   * open (releasing native memory under a running read would crash the process).
   */
  @Override
  public void close() {
    if (!lockForClose()) {
      throw new StoreException("store still in use after " + CLOSE_WAIT_MILLIS + " ms; left open");
    }
    try {
      if (closed) {
        return;
      }
      closed = true;
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      writeOptions.close();
      familyOptions.close();
      dbOptions.close();
    } finally {
      access.writeLock().unlock();
    }
  }

  private boolean lockForClose() {
    try {
      return access.writeLock().tryLock(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
