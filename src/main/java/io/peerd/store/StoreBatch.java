package io.peerd.store;

import io.peerd.wire.Hash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to apply to a {@link ChainStore} in one atomic write: header entries (new or with a
 * changed status), raw blocks, at most one move of the best chain, and facts kept with the chain
 * ({@link #putFact}, e.g. the replicated log index a block was applied at).
 */
public final class StoreBatch {
  /**
   * The best chain becomes: unchanged up to {@code forkHeight}, then {@code connected} in height
   * order; entries above the new tip are removed. {@code connected} may be empty (a rewind).
   */
  public record BestChainMove(int forkHeight, List<Hash> connected) {
    public BestChainMove {
      connected = List.copyOf(connected);
    }

    public int newTipHeight() {
      return forkHeight + connected.size();
    }
  }

  private final Map<Hash, StoredHeader> headers = new LinkedHashMap<>();
  private final Map<Hash, byte[]> blocks = new LinkedHashMap<>();
  private final Map<String, byte[]> facts = new LinkedHashMap<>();
  private BestChainMove bestChainMove;

  public StoreBatch putHeader(StoredHeader header) {
    headers.put(header.hash(), header);
    return this;
  }

  public StoreBatch putBlock(Hash hash, byte[] serializedBlock) {
    blocks.put(hash, serializedBlock);
    return this;
  }

  /** A named value written with the rest of the batch; the name is the caller's to choose. */
  public StoreBatch putFact(String name, byte[] value) {
    facts.put(name, value);
    return this;
  }

  public StoreBatch moveBestChain(int forkHeight, List<Hash> connected) {
    if (bestChainMove != null) {
      throw new IllegalStateException("a batch moves the best chain at most once");
    }
    bestChainMove = new BestChainMove(forkHeight, connected);
    return this;
  }

  public List<StoredHeader> headers() {
    return new ArrayList<>(headers.values());
  }

  public Map<Hash, byte[]> blocks() {
    return blocks;
  }

  public Map<String, byte[]> facts() {
    return facts;
  }

  public BestChainMove bestChainMove() {
    return bestChainMove;
  }

  public boolean isEmpty() {
    return headers.isEmpty() && blocks.isEmpty() && facts.isEmpty() && bestChainMove == null;
  }
}
