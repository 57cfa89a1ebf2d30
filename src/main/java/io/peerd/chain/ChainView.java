package io.peerd.chain;

import io.peerd.store.ChainStore;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The chain as any thread may read it: the latest {@link ChainSnapshot}, header lookups by hash
 * and stored blocks. This is how peers serve getheaders, getblocks and getdata, and how RPC and
 * the sync manager learn about the chain without asking the chain actor and waiting.
 *
 * <p>Thread-safe: the index is a concurrent map written only by the chain's thread, and only
 * immutable {@link HeaderNode} fields are read here. Store reads must end before the store closes
 * (the node stops every reader first).
 */
public final class ChainView {
  private final Map<Hash, HeaderNode> index;
  private final ChainStore store;
  private volatile ChainSnapshot snapshot;

  ChainView(Map<Hash, HeaderNode> index, ChainStore store, ChainSnapshot initial) {
    this.index = index;
    this.store = store;
    this.snapshot = initial;
  }

  public ChainSnapshot snapshot() {
    return snapshot;
  }

  void publish(ChainSnapshot next) {
    snapshot = next;
  }

  public Optional<HeaderNode> header(Hash hash) {
    return Optional.ofNullable(index.get(hash));
  }

  /** The block on the current tip chain at {@code height}, if the tip is that high. */
  public Optional<HeaderNode> onTipChain(int height) {
    return Optional.ofNullable(snapshot.tip().ancestor(height));
  }

  /** True if {@code hash} is a block of the current tip chain. */
  public boolean isOnTipChain(Hash hash) {
    HeaderNode node = index.get(hash);
    return node != null && node.isAncestorOf(snapshot.tip());
  }

  /** The replicated log's last entry the chain applied, if it follows one. */
  public Optional<LogPosition> lastAppliedLogPosition() {
    return LogPosition.decode(store.fact(LogPosition.FACT));
  }

  /**
   * The header tree's leaves (headers no known header builds on) and the tip, as getchaintips
   * lists them. Walks the whole index: O(headers) time and a set of their parents.
   */
  public List<HeaderNode> leaves() {
    Set<HeaderNode> parents = new HashSet<>();
    List<HeaderNode> nodes = List.copyOf(index.values());
    nodes.forEach(node -> parents.add(node.parent()));
    List<HeaderNode> leaves = new ArrayList<>(nodes.stream().filter(node -> !parents.contains(node)).toList());
    HeaderNode tip = snapshot.tip();
    if (!leaves.contains(tip)) {
      leaves.add(tip); // a tip with a child whose block never came
    }
    return leaves;
  }

  public Optional<byte[]> block(Hash hash) {
    return store.block(hash);
  }

  /**
   * Up to {@code max} headers of the tip chain after the first locator hash on it (genesis when
   * none is), ending at {@code stop} if it comes first. As getheaders asks.
   */
  public List<BlockHeader> headersAfter(List<Hash> locator, Hash stop, int max) {
    if (locator.isEmpty()) { // "just this header", as Bitcoin Core answers an empty locator
      return header(stop).filter(node -> max > 0).map(node -> List.of(node.header())).orElse(List.of());
    }
    List<BlockHeader> headers = new ArrayList<>();
    for (HeaderNode node : nodesAfter(locator, stop, max, true)) {
      headers.add(node.header());
    }
    return headers;
  }

  /**
   * Like {@link #headersAfter} but block hashes, as getblocks asks, and ending before the stop
   * hash rather than with it (as Bitcoin Core does); an empty locator starts at genesis.
   */
  public List<Hash> hashesAfter(List<Hash> locator, Hash stop, int max) {
    List<Hash> hashes = new ArrayList<>();
    for (HeaderNode node : nodesAfter(locator, stop, max, false)) {
      hashes.add(node.hash());
    }
    return hashes;
  }

  private List<HeaderNode> nodesAfter(List<Hash> locator, Hash stop, int max, boolean includeStop) {
    HeaderNode tip = snapshot.tip();
    HeaderNode fork = forkPoint(locator, tip);
    int last = Math.min(tip.height(), fork.height() + max);
    List<HeaderNode> nodes = new ArrayList<>(Math.max(0, last - fork.height()));
    for (HeaderNode node = tip.ancestor(last); node != null && node != fork; node = node.parent()) {
      nodes.add(node);
    }
    List<HeaderNode> ascending = nodes.reversed();
    for (int i = 0; i < ascending.size(); i++) {
      if (ascending.get(i).hash().equals(stop)) {
        return ascending.subList(0, includeStop ? i + 1 : i);
      }
    }
    return ascending;
  }

  /** The first locator entry that is on the tip chain; genesis if none is. */
  private HeaderNode forkPoint(List<Hash> locator, HeaderNode tip) {
    for (Hash hash : locator) {
      HeaderNode node = index.get(hash);
      if (node != null && node.isAncestorOf(tip)) {
        return node;
      }
    }
    return tip.ancestor(0);
  }
}
