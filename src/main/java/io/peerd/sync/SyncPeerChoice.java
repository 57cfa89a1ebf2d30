package io.peerd.sync;

import java.util.Collection;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which peer becomes the headers sync peer: among full peers that claim more blocks than our
 * best header, an outbound one (we chose it; an inbound peer may be anyone) with the highest
 * known height, the earliest added winning ties. None qualifies at our tip: announcements keep
 * us current there. It owns the time of the last INFO line about a new sync peer. Not
 * thread-safe: only the sync manager's thread calls it.
 */
final class SyncPeerChoice {
  /** The sync manager's log, as before the choice had its own class. */
  private static final Logger log = LoggerFactory.getLogger(SyncManager.class);

  private final long logIntervalMillis;
  private final LongSupplier clockMillis;
  private long lastInfoLogMillis = Long.MIN_VALUE / 2;

  SyncPeerChoice(long logIntervalMillis, LongSupplier clockMillis) {
    this.logIntervalMillis = logIntervalMillis;
    this.clockMillis = clockMillis;
  }

  /** The sync peer among {@code peers} (in the order they were added), or null if none qualifies. */
  SyncPeer choose(Collection<SyncPeer> peers, int ourHeight) {
    SyncPeer best = null;
    for (SyncPeer candidate : peers) {
      if (candidate.isFullNode() && candidate.knownHeight() > ourHeight && (best == null || better(candidate, best))) {
        best = candidate;
      }
    }
    if (best != null) {
      logChoice(best);
    }
    return best;
  }

  private static boolean better(SyncPeer candidate, SyncPeer current) {
    if (candidate.handle.isInbound() != current.handle.isInbound()) {
      return !candidate.handle.isInbound();
    }
    return candidate.knownHeight() > current.knownHeight();
  }

  /** At INFO at most once per interval: under churn a log line per change is noise. */
  private void logChoice(SyncPeer peer) {
    long now = clockMillis.getAsLong();
    if (now - lastInfoLogMillis >= logIntervalMillis) {
      lastInfoLogMillis = now;
      log.info("sync peer is now {} (height {})", peer.handle, peer.knownHeight());
    } else {
      log.debug("sync peer is now {} (height {})", peer.handle, peer.knownHeight());
    }
  }
}
