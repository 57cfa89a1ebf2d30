package io.peerd.testing;

import io.peerd.store.ChainStore;
import io.peerd.store.StoreBatch;
import io.peerd.store.StoredHeader;
import io.peerd.wire.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link ChainStore} in memory, for model-checking tests where RocksDB's native code would only
 * slow the exploration down. Synchronized: the chain actor writes, peers' threads may read.
 */
public final class MemoryChainStore implements ChainStore {
  private final Map<Hash, StoredHeader> headers = new HashMap<>();
  private final Map<Hash, byte[]> blocks = new HashMap<>();
  private final List<Hash> bestChain = new ArrayList<>();
  private final Map<String, byte[]> facts = new HashMap<>();

  @Override
  public synchronized void write(StoreBatch batch) {
    batch.headers().forEach(header -> headers.put(header.hash(), header));
    blocks.putAll(batch.blocks());
    facts.putAll(batch.facts());
    StoreBatch.BestChainMove move = batch.bestChainMove();
    if (move != null) {
      while (bestChain.size() > move.forkHeight() + 1) {
        bestChain.removeLast();
      }
      bestChain.addAll(move.connected());
    }
  }

  @Override
  public synchronized void forEachHeader(Consumer<StoredHeader> sink) {
    List.copyOf(headers.values()).forEach(sink);
  }

  @Override
  public synchronized Optional<StoredHeader> header(int height, Hash hash) {
    return Optional.ofNullable(headers.get(hash)).filter(header -> header.height() == height);
  }

  @Override
  public synchronized Optional<Tip> bestTip() {
    return bestChain.isEmpty() ? Optional.empty() : Optional.of(new Tip(bestChain.size() - 1, bestChain.getLast()));
  }

  @Override
  public synchronized Optional<Hash> hashAtHeight(int height) {
    return height >= 0 && height < bestChain.size() ? Optional.of(bestChain.get(height)) : Optional.empty();
  }

  @Override
  public synchronized Optional<byte[]> block(Hash hash) {
    return Optional.ofNullable(blocks.get(hash));
  }

  @Override
  public synchronized Optional<byte[]> fact(String name) {
    return Optional.ofNullable(facts.get(name));
  }

  @Override
  public void close() {}
}
