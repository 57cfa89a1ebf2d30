package io.peerd.chain;

import io.peerd.store.HeaderStatus;
import io.peerd.store.StoredHeader;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A header in the in-memory header tree, linked to its parent. Height, chain work, parent, skip
 * pointer and creation order are fixed at creation and safe to read from any thread once the node
 * is published (through {@link ChainView}). Status and block presence change only through
 * {@link Chain}, on its thread, each in one direction (valid to invalid, no block to block), and
 * are volatile so the sync manager can read them: a stale read only delays a decision until the
 * chain's reply arrives. Whether the whole chain is stored is the chain thread's alone.
 */
public final class HeaderNode {
  private static final int MEDIAN_TIME_SPAN = 11;

  private final BlockHeader header;
  private final HeaderNode parent;
  /** An ancestor further back than the parent, so {@link #ancestor} takes O(log height) steps. */
  private final HeaderNode skip;
  private final int height;
  private final BigInteger chainWork;
  /** Creation order across all nodes: on equal work, the header seen first wins. */
  private static final AtomicLong CREATED = new AtomicLong();

  private final long sequence = CREATED.incrementAndGet();
  /** Most headers have one child and none has more than a few: no list until a second arrives. */
  private HeaderNode firstChild;
  private List<HeaderNode> laterChildren;
  private volatile HeaderStatus status;
  private volatile boolean hasBlock;
  /** This block and all its ancestors' blocks are stored: it can be the tip. */
  private boolean chainStored;

  HeaderNode(BlockHeader header, HeaderNode parent, HeaderStatus status, boolean hasBlock) {
    // The tree keeps each hash once: a child's previous hash is its parent's own Hash.
    this.header = parent == null ? header : header.sharingPreviousHash(parent.hash());
    this.parent = parent;
    this.height = parent == null ? 0 : parent.height + 1;
    this.skip = parent == null ? null : parent.ancestor(skipHeight(height));
    this.chainWork = (parent == null ? BigInteger.ZERO : parent.chainWork).add(ProofOfWork.work(header.bits()));
    this.status = status;
    this.hasBlock = hasBlock;
    if (parent != null) {
      parent.addChild(this);
    }
  }

  public BlockHeader header() {
    return header;
  }

  public Hash hash() {
    return header.hash();
  }

  public HeaderNode parent() {
    return parent;
  }

  public int height() {
    return height;
  }

  public BigInteger chainWork() {
    return chainWork;
  }

  /** Orders by chain work, then earlier seen first: the maximum is the best of competing headers. */
  public static final Comparator<HeaderNode> MOST_WORK_FIRST_SEEN =
      Comparator.comparing(HeaderNode::chainWork).thenComparing(node -> -node.sequence);

  public HeaderStatus status() {
    return status;
  }

  public boolean isValid() {
    return !status.isInvalid();
  }

  public boolean hasBlock() {
    return hasBlock;
  }

  public boolean chainStored() {
    return chainStored;
  }

  List<HeaderNode> children() {
    if (firstChild == null) {
      return List.of();
    }
    if (laterChildren == null) {
      return List.of(firstChild);
    }
    List<HeaderNode> all = new ArrayList<>(1 + laterChildren.size());
    all.add(firstChild);
    all.addAll(laterChildren);
    return all;
  }

  private void addChild(HeaderNode child) {
    if (firstChild == null) {
      firstChild = child;
    } else {
      if (laterChildren == null) {
        laterChildren = new ArrayList<>(1);
      }
      laterChildren.add(child);
    }
  }

  void setStatus(HeaderStatus newStatus) {
    status = newStatus;
  }

  void setHasBlock() {
    hasBlock = true;
  }

  void setChainStored() {
    chainStored = true;
  }

  /** The ancestor at {@code targetHeight} (this node at its own height); null if out of range. */
  public HeaderNode ancestor(int targetHeight) {
    if (targetHeight > height || targetHeight < 0) {
      return null;
    }
    HeaderNode node = this;
    while (node.height > targetHeight) {
      node = node.skipUsefulFor(targetHeight) ? node.skip : node.parent;
    }
    return node;
  }

  /**
   * Whether jumping to the skip pointer gets closer to {@code target} without overshooting and
   * without a detour: if the parent's skip would land between the target and our skip, stepping
   * to the parent first is faster.
   */
  private boolean skipUsefulFor(int target) {
    if (skip == null) {
      return false;
    }
    int skipHeight = skip.height;
    int parentSkipHeight = skipHeight(height - 1);
    return skipHeight == target
        || (skipHeight > target && !(parentSkipHeight < skipHeight - 2 && parentSkipHeight >= target));
  }

  /**
   * The height a node at {@code height} skips to: clearing low set bits gives a deterministic
   * spread of jump lengths (as in Bitcoin Core's block index), which makes any ancestor lookup
   * logarithmic.
   */
  static int skipHeight(int height) {
    if (height < 2) {
      return 0;
    }
    return (height & 1) != 0 ? clearLowestSetBit(clearLowestSetBit(height - 1)) + 1 : clearLowestSetBit(height);
  }

  private static int clearLowestSetBit(int n) {
    return n & (n - 1);
  }

  /** The highest node that is an ancestor of (or equal to) both {@code a} and {@code b}. */
  public static HeaderNode lastCommonAncestor(HeaderNode a, HeaderNode b) {
    int height = Math.min(a.height, b.height);
    HeaderNode x = a.ancestor(height);
    HeaderNode y = b.ancestor(height);
    while (x != y) {
      x = x.parent;
      y = y.parent;
    }
    return x;
  }

  /** True if {@code descendant} is this node or one of its descendants. */
  public boolean isAncestorOf(HeaderNode descendant) {
    return descendant.ancestor(height) == this;
  }

  /** Median time of this header and up to 10 ancestors: a new child's time must exceed it. */
  public long medianTimePast() {
    long[] times = new long[MEDIAN_TIME_SPAN];
    int count = 0;
    for (HeaderNode node = this; node != null && count < MEDIAN_TIME_SPAN; node = node.parent) {
      times[count++] = node.header.time();
    }
    java.util.Arrays.sort(times, 0, count);
    return times[count / 2];
  }

  public StoredHeader toStored() {
    return new StoredHeader(header, height, chainWork, status, hasBlock, txCount);
  }

  @Override
  public String toString() {
    return "HeaderNode{" + height + " " + header.hash() + " " + status + (hasBlock ? " block" : "") + "}";
  }

  // ------------------------------------------------------------ transaction counts

  /** Transactions in this block: 0 until it is stored, or when a store older than the count held it. */
  private int txCount;
  /**
   * Transactions in this block and all its ancestors (Core's {@code nChainTx}), set once on the
   * chain's thread when this block's chain is stored; 0 while unknown. Volatile: RPC threads read
   * it from a published tip.
   */
  private volatile long chainTxCount;

  public int txCount() {
    return txCount;
  }

  /** 0 if unknown: the chain up to here is not stored, or a block in it has no known count. */
  public long chainTxCount() {
    return chainTxCount;
  }

  void setTxCount(int count) {
    txCount = count;
  }

  /** Counts the chain's transactions; called once this block's chain is stored, parents first. */
  void countChainTransactions() {
    long before = parent == null ? 0 : parent.chainTxCount;
    boolean unknown = txCount == 0 || (parent != null && before == 0);
    chainTxCount = unknown ? 0 : before + txCount;
  }
}
