package io.peerd.sync;

import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.HeaderNode;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Services;

/**
 * What sync knows about one added peer: the best block it showed, the height it claimed, its
 * header request deadline and whether headers from it were missed. One per peer between its
 * "added" and "done"; only the sync manager's thread creates, reads or changes it.
 */
final class SyncPeer {
  final PeerHandle handle;
  /** The most-work header this peer showed it has (headers, inv, block); null before any. */
  HeaderNode bestKnown;
  /**
   * Until it shows a header, the peer is taken to have the best header chain up to the height
   * its version claimed, lowered by each notfound.
   */
  int claimedHeight;
  /** When the getheaders out to this peer must be answered; 0 while none is out. */
  long headersDeadlineMillis;
  /**
   * Headers from this peer were dropped (the chain was busy) or not followed up (a request was
   * out, whose answer may end before them): ask again once the chain caught up.
   */
  boolean headersMissed;

  SyncPeer(PeerHandle handle) {
    this.handle = handle;
    this.claimedHeight = Math.max(0, handle.startHeight());
  }

  boolean isFullNode() {
    return Services.hasAll(handle.services(), Services.NODE_NETWORK);
  }

  int knownHeight() {
    return Math.max(claimedHeight, bestKnown == null ? 0 : bestKnown.height());
  }

  boolean headersRequestOut() {
    return headersDeadlineMillis != 0;
  }

  boolean headersOverdue(long nowMillis) {
    return headersRequestOut() && nowMillis >= headersDeadlineMillis;
  }

  /** As Core's UpdateBlockAvailability: a header the peer has replaces one with less work. */
  void has(HeaderNode node) {
    if (bestKnown == null || node.chainWork().compareTo(bestKnown.chainWork()) > 0) {
      bestKnown = node;
    }
  }

  /**
   * What to download from this peer: the best header chain up to its claim, where that extends
   * what it showed us (or it showed nothing yet); else the best block it showed.
   */
  HeaderNode downloadTarget(ChainSnapshot snapshot) {
    HeaderNode best = snapshot.bestHeader();
    HeaderNode claimed = best.ancestor(Math.min(claimedHeight, best.height()));
    return bestKnown == null || bestKnown.isAncestorOf(claimed) ? claimed : bestKnown;
  }

  /** The peer said notfound for {@code missing}, which we asked it for: it has nothing from there up on that branch. */
  void lacks(HeaderNode missing, ChainSnapshot snapshot) {
    if (missing.isAncestorOf(snapshot.bestHeader())) {
      claimedHeight = Math.min(claimedHeight, missing.height() - 1); // the claim is about the best chain only
    }
    if (missing.isAncestorOf(downloadTarget(snapshot))) {
      bestKnown = missing.parent();
    }
  }

  /** As Core's getpeerinfo: the height of the peer's best known block, -1 before any. */
  int syncedHeadersHeight() {
    return bestKnown == null ? -1 : bestKnown.height();
  }

  /** As Core's getpeerinfo: the height of the last block the peer shares with {@code tip}, -1 before any. */
  int syncedBlocksHeight(HeaderNode tip) {
    return bestKnown == null ? -1 : HeaderNode.lastCommonAncestor(bestKnown, tip).height();
  }
}
