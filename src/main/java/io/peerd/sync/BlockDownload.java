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
import java.util.TreeMap;

/**
 * Which blocks to request from whom: a window of {@code windowBlocks} heights above the download
 * base (the last block the tip shares with the best header chain), at most
 * {@code maxInFlightPerPeer} requests per peer, and the stall rule: when the window cannot move
 * because its first block is still in flight, that peer gets a grace period and is then dropped;
 * the grace doubles after each such drop and shrinks again while blocks connect.
 *
 * <p>A height is <em>handled</em> while its block is in flight, being processed by the chain, or
 * stored ahead of the tip. The cursor is the lowest height that may not be handled: everything
 * between the base and the cursor is, so each assignment starts there and the scan is amortized
 * constant per block. Any event that un-handles a height lowers the cursor to it.
 *
 * <p>Not thread-safe: owned by the sync manager's thread.
 */
final class BlockDownload {
  private static final double STALL_SHRINK_FACTOR = 0.85;

  /** A block request: who, for which height, since when. */
  record Request(long peerId, int height, long requestedAtMillis) {}

  private final SyncConfig config;
  private final Map<Hash, Request> inFlight = new HashMap<>();
  private final Map<Long, Set<Hash>> inFlightByPeer = new HashMap<>();
  private final Map<Hash, Integer> atChain = new HashMap<>();
  private final TreeMap<Integer, Set<Hash>> storedAhead = new TreeMap<>();
  private final Set<Hash> storedAheadHashes = new HashSet<>();
  private int cursor;
  private HeaderNode cursorBest;
  private long stallTimeoutMillis;
  private long stallingPeer = -1;
  /** The window's first block, which the stalling peer holds. */
  private Hash stallingBlock;
  private long stallingSinceMillis;

  BlockDownload(SyncConfig config) {
    this.config = config;
    this.stallTimeoutMillis = config.stallTimeoutMillis();
  }

  /**
   * The next blocks for a peer that has {@code freeSlots} and is known to have blocks up to
   * {@code peerHeight}, lowest heights first; each is recorded as in flight from that peer.
   */
  List<Hash> assign(long peerId, int freeSlots, int peerHeight, ChainSnapshot snapshot, long nowMillis) {
    HeaderNode best = snapshot.bestHeader();
    int base = snapshot.downloadBase().height();
    followBestChain(best, base);
    int limit = Math.min(windowEnd(snapshot), peerHeight);
    List<Hash> assigned = new ArrayList<>();
    boolean contiguous = true;
    for (int height = cursor; height <= limit && assigned.size() < freeSlots; height++) {
      Hash hash = best.ancestor(height).hash();
      if (isHandled(hash)) {
        if (contiguous) {
          cursor = height + 1;
        }
        continue;
      }
      request(hash, peerId, height, nowMillis);
      assigned.add(hash);
      if (contiguous) {
        cursor = height + 1;
      }
    }
    return assigned;
  }

  /** Restarts the scan when the best header chain switched branch or the base moved past the cursor. */
  private void followBestChain(HeaderNode best, int base) {
    if (cursorBest == null || !cursorBest.isAncestorOf(best)) {
      cursor = base + 1;
    }
    cursorBest = best;
    cursor = Math.max(cursor, base + 1);
  }

  private int windowEnd(ChainSnapshot snapshot) {
    return Math.min(snapshot.bestHeader().height(), snapshot.downloadBase().height() + config.windowBlocks());
  }

  private boolean isHandled(Hash hash) {
    return inFlight.containsKey(hash) || atChain.containsKey(hash) || storedAheadHashes.contains(hash);
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
      case STORED, DUPLICATE -> {
        storedAhead.computeIfAbsent(height, h -> new HashSet<>()).add(hash);
        storedAheadHashes.add(hash);
      }
      case INVALID, UNKNOWN_PARENT -> lower(height);
      case CONNECTED -> { }
    }
  }

  /** The peer does not have the block: it may be asked of someone else. */
  void notFound(long peerId, Hash hash) {
    Request request = inFlight.get(hash);
    if (request != null && request.peerId() == peerId) {
      delivered(hash);
      lower(request.height());
    }
  }

  /** The peer left: everything it had in flight goes back to the window. */
  void peerGone(long peerId) {
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

  /** The tip moved: forget blocks now connected, end any stall, and shrink the stall grace. */
  void tipMoved(ChainSnapshot snapshot) {
    int base = snapshot.downloadBase().height();
    var connected = storedAhead.headMap(base, true);
    connected.values().forEach(storedAheadHashes::removeAll);
    connected.clear();
    stallingPeer = -1;
    stallTimeoutMillis = Math.max(config.stallTimeoutMillis(), (long) (stallTimeoutMillis * STALL_SHRINK_FACTOR));
  }

  /**
   * After peers got what there was to assign: if the window is used up while more blocks exist
   * beyond it, and its first block is still in flight, that block's peer holds everyone back.
   */
  void noteWindowStall(ChainSnapshot snapshot, long nowMillis) {
    int windowEnd = windowEnd(snapshot);
    if (cursor <= windowEnd || windowEnd >= snapshot.bestHeader().height()) {
      return;
    }
    HeaderNode first = snapshot.bestHeader().ancestor(snapshot.downloadBase().height() + 1);
    Request blocking = inFlight.get(first.hash());
    if (blocking == null) {
      return;
    }
    if (blocking.peerId() != stallingPeer) {
      stallingPeer = blocking.peerId();
      stallingSinceMillis = nowMillis;
    }
    stallingBlock = first.hash();
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
    cursor = Math.min(cursor, height);
  }
}
