package io.peerd.store;

import io.peerd.wire.Hash;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Persistent header index, best chain and raw blocks. Every {@link StoreBatch} is applied
 * atomically: after a crash at any moment the store holds all of a batch or none of it.
 * Not thread-safe for writes: one owner (the chain actor) writes; reads may come from any thread.
 */
public interface ChainStore extends AutoCloseable {

  /** Applies every change in the batch as one atomic write. */
  void write(StoreBatch batch);

  /** Streams every stored header entry (any order), to rebuild the in-memory index at startup. */
  void forEachHeader(Consumer<StoredHeader> sink);

  /** The entry of {@code hash}, looked up with the height it was stored at. */
  Optional<StoredHeader> header(int height, Hash hash);

  /** The tip of the stored best chain; empty only for a store that has never been written. */
  Optional<Tip> bestTip();

  /** The best chain's block hash at {@code height}; empty above the tip. */
  Optional<Hash> hashAtHeight(int height);

  /** A fact written with {@link StoreBatch#putFact}, if any. */
  Optional<byte[]> fact(String name);

  /** The raw serialized block (with witness data, as received), if stored. */
  Optional<byte[]> block(Hash hash);

  @Override
  void close();

  /** The best chain's last block. */
  record Tip(int height, Hash hash) {
    public Tip {
      if (height < 0) {
        throw new IllegalArgumentException("tip height " + height);
      }
    }
  }
}
