package io.peerd.sync;

import io.peerd.chain.Chain;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.HeaderNode;
import io.peerd.wire.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which blocks to request from whom. Each peer downloads toward its own target, the most-work
 * header it showed us (Bitcoin Core's "best known block"), when that has more work than our tip:
 * so after an invalid or withheld block, a competitor is fetched from the peer that has it, and
 * a longer fork from another peer is downloaded beside the first. A peer's window is the
 * {@code windowBlocks} heights above its base (the last block the tip shares with its target),
 * at most {@code maxInFlightPerPeer} requests per peer, and the stall rule: when a window cannot
 * move because its first block is still in flight, that block's peer gets a grace period and is
 * then dropped; the grace doubles after each such drop and shrinks again while blocks connect.
 *
 * <p>A block is <em>handled</em> while it is in flight, being processed by the chain, or stored
 * ahead of the tip (as the chain's replies said). Each peer's cursor is the lowest height of its
 * target chain that may not be handled: everything between its base and the cursor is, so each
 * assignment starts there and the scan is amortized constant per block. Any event that
 * un-handles a height lowers every cursor to it.
 *
 * <p>Not thread-safe: owned by the sync manager's thread.
 */
final class BlockDownload {
  private static final double STALL_SHRINK_FACTOR = 0.85;

  /** A block request: who, for which height, since when. */
  record Request(long peerId, int height, long requestedAtMillis) {}

  /** A peer's target and how far along it everything is handled. */
  private static final class Window {
    HeaderNode target;
    int cursor;

    /** Restarts the scan when the target switched branch, or the base moved past the cursor. */
    void follow(HeaderNode newTarget, int baseHeight) {
      if (target == null || !target.isAncestorOf(newTarget)) {
        cursor = baseHeight + 1;
      }
      target = newTarget;
      cursor = Math.max(cursor, baseHeight + 1);
    }
  }

  private final SyncConfig config;
  private final Map<Hash, Request> inFlight = new HashMap<>();
  private final Map<Long, Set<Hash>> inFlightByPeer = new HashMap<>();
  private final Map<Hash, Integer> atChain = new HashMap<>();
  /** Blocks the chain stored but did not connect, by hash with their heights. */
  private final Map<Hash, Integer> storedAhead = new HashMap<>();
  private final Map<Long, Window> windows = new HashMap<>();
  private long stallTimeoutMillis;
  private long stallingPeer = -1;
  /** The window's first block, which the stalling peer holds. */
  private Hash stallingBlock;
  private long stallingSinceMillis;

  BlockDownload(SyncConfig config) {
    this.config = config;
    this.stallTimeoutMillis = config.stallTimeoutMillis();
  }

  /** True if a peer whose best block is {@code target} has blocks we want: more work than our tip, and valid. */
  static boolean worthDownloading(HeaderNode target, HeaderNode tip) {
    return target != null && target.chainWork().compareTo(tip.chainWork()) > 0 && target.isValid();
  }

  /**
   * The next blocks toward {@code target} for a peer that has {@code freeSlots}, lowest heights
   * first; each is recorded as in flight from that peer. Stops below an invalid block: nothing
   * above it is worth having.
   */
  List<Hash> assign(long peerId, int freeSlots, HeaderNode target, ChainSnapshot snapshot, long nowMillis) {
    if (!worthDownloading(target, snapshot.tip())) {
      return List.of();
    }
    HeaderNode base = HeaderNode.lastCommonAncestor(snapshot.tip(), target);
    Window window = windows.computeIfAbsent(peerId, id -> new Window());
    window.follow(target, base.height());
    int end = windowEnd(base, target);
    List<Hash> assigned = new ArrayList<>();
    for (int height = window.cursor; height <= end && assigned.size() < freeSlots; height++) {
      HeaderNode node = target.ancestor(height);
      if (!node.isValid()) {
        break;
      }
      window.cursor = height + 1;
      if (!isHandled(node.hash())) {
        request(node.hash(), peerId, height, nowMillis);
        assigned.add(node.hash());
      }
    }
    return assigned;
  }

  private int windowEnd(HeaderNode base, HeaderNode target) {
    return Math.min(target.height(), base.height() + config.windowBlocks());
  }

  private boolean isHandled(Hash hash) {
    return inFlight.containsKey(hash) || atChain.containsKey(hash) || storedAhead.containsKey(hash);
  }

  private void request(Hash hash, long peerId, int height, long nowMillis) {
    inFlight.put(hash, new Request(peerId, height, nowMillis));
    inFlightByPeer.computeIfAbsent(peerId, id -> new LinkedHashSet<>()).add(hash);
  }

  /** A block arrived: its request, if it was requested (from anyone). The staller delivering ends its stall. */
  Request delivered(Hash hash) {
    Request request = inFlight.remove(hash);
    if (request != null) {
      removeFromPeer(request.peerId(), hash);
      if (request.peerId() == stallingPeer && hash.equals(stallingBlock)) {
        stallingPeer = -1;
      }
    }
    return request;
  }

  /** The block went to the chain actor, which will answer with {@link #processed}. */
  void handedToChain(Hash hash, int height) {
    atChain.put(hash, height);
  }

  /** The height of a block handed to the chain and not yet processed, or -1. */
  int heightAtChain(Hash hash) {
    return atChain.getOrDefault(hash, -1);
  }

  /** The chain actor refused the block (mailbox full): ask for it again. */
  void chainRefused(int height) {
    lower(height);
  }

  void processed(Hash hash, Chain.BlockOutcome outcome) {
    Integer height = atChain.remove(hash);
    if (height == null) {
      return;
    }
    switch (outcome) {
      case STORED, DUPLICATE -> storedAhead.put(hash, height);
      case INVALID, UNKNOWN_PARENT, NOT_COMMITTED -> lower(height);
      case CONNECTED -> { }
    }
  }

  /** The peer does not have the block: it may be asked of someone else. True if we had asked this peer for it. */
  boolean notFound(long peerId, Hash hash) {
    Request request = inFlight.get(hash);
    if (request == null || request.peerId() != peerId) {
      return false;
    }
    delivered(hash);
    lower(request.height());
    return true;
  }

  /** The peer left: everything it had in flight goes back to the window. */
  void peerGone(long peerId) {
    windows.remove(peerId);
    Set<Hash> hashes = inFlightByPeer.remove(peerId);
    if (hashes != null) {
      for (Hash hash : hashes) {
        lower(inFlight.remove(hash).height());
      }
    }
    if (stallingPeer == peerId) {
      stallingPeer = -1;
    }
  }

  /**
   * The tip moved: forget stored blocks no window scans again (those now on the tip chain, and
   * forks more than a window below the tip, which the chain would answer as duplicates), end any
   * stall, and shrink the stall grace.
   */
  void tipMoved(ChainSnapshot snapshot) {
    HeaderNode tip = snapshot.tip();
    storedAhead.entrySet().removeIf(entry -> entry.getValue() <= tip.height()
        && (entry.getValue() < tip.height() - config.windowBlocks() || tip.ancestor(entry.getValue()).hash().equals(entry.getKey())));
    stallingPeer = -1;
    stallTimeoutMillis = Math.max(config.stallTimeoutMillis(), (long) (stallTimeoutMillis * STALL_SHRINK_FACTOR));
  }

  /**
   * After peers got what there was to assign: if a peer's window is used up while its target has
   * more blocks beyond it, and the window's first block is still in flight, that block's peer holds
   * it back. The watch on a staller keeps its start while that staller still holds a stalled
   * window's first block, and ends as soon as no window is stalled on it (the window's peer left,
   * or its target changed).
   */
  void noteWindowStall(ChainSnapshot snapshot, long nowMillis) {
    Request blocking = null;
    Hash blockingHash = null;
    for (Window window : windows.values()) {
      Hash first = stalledWindowFirstBlock(window, snapshot);
      Request request = first == null ? null : inFlight.get(first);
      if (request != null && (blocking == null || (request.peerId() == stallingPeer && first.equals(stallingBlock)))) {
        blocking = request;
        blockingHash = first;
      }
    }
    if (blocking == null) {
      stallingPeer = -1;
    } else if (blocking.peerId() != stallingPeer || !blockingHash.equals(stallingBlock)) {
      stallingPeer = blocking.peerId();
      stallingBlock = blockingHash;
      stallingSinceMillis = nowMillis;
    }
  }

  /** The first block above a window's base if the window is used up with more beyond it, else null. */
  private Hash stalledWindowFirstBlock(Window window, ChainSnapshot snapshot) {
    if (!worthDownloading(window.target, snapshot.tip())) {
      return null;
    }
    HeaderNode base = HeaderNode.lastCommonAncestor(snapshot.tip(), window.target);
    int end = windowEnd(base, window.target);
    if (window.cursor <= end || end >= window.target.height()) {
      return null;
    }
    return window.target.ancestor(base.height() + 1).hash();
  }

  /** The peer to drop for stalling the window, if its grace is over; the next grace doubles. */
  OptionalLong stalledPeer(long nowMillis) {
    if (stallingPeer < 0 || nowMillis - stallingSinceMillis < stallTimeoutMillis) {
      return OptionalLong.empty();
    }
    long peer = stallingPeer;
    stallingPeer = -1;
    stallTimeoutMillis = Math.min(config.maxStallTimeoutMillis(), stallTimeoutMillis * 2);
    return OptionalLong.of(peer);
  }

  /** Peers with a block request older than the block timeout. */
  Set<Long> overduePeers(long nowMillis) {
    Set<Long> overdue = new HashSet<>();
    for (Request request : inFlight.values()) {
      if (nowMillis - request.requestedAtMillis() >= config.blockTimeoutMillis()) {
        overdue.add(request.peerId());
      }
    }
    return overdue;
  }

  int inFlightCount() {
    return inFlight.size();
  }

  int inFlightCount(long peerId) {
    Set<Hash> hashes = inFlightByPeer.get(peerId);
    return hashes == null ? 0 : hashes.size();
  }

  /** The heights requested from the peer and not yet delivered, in request order. */
  List<Integer> inFlightHeights(long peerId) {
    Set<Hash> hashes = inFlightByPeer.getOrDefault(peerId, Set.of());
    return hashes.stream().map(hash -> inFlight.get(hash).height()).toList();
  }

  int atChainCount() {
    return atChain.size();
  }

  long stallTimeoutMillis() {
    return stallTimeoutMillis;
  }

  /** True if nothing is in flight from anyone (checked when the last peer leaves). */
  boolean nothingInFlight() {
    return inFlight.isEmpty() && inFlightByPeer.isEmpty();
  }

  private void removeFromPeer(long peerId, Hash hash) {
    Set<Hash> hashes = inFlightByPeer.get(peerId);
    if (hashes != null) {
      hashes.remove(hash);
      if (hashes.isEmpty()) {
        inFlightByPeer.remove(peerId);
      }
    }
  }

  private void lower(int height) {
    for (Window window : windows.values()) {
      window.cursor = Math.min(window.cursor, height);
    }
  }
}
