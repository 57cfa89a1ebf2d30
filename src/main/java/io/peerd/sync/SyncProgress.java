package io.peerd.sync;

import io.peerd.chain.ChainSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync progress log: while behind, at most one line per {@code intervalMillis} (height, best
 * header, percent, blocks per second, time left), and one line when caught up after a real sync
 * (at least {@link #SYNC_BLOCKS} behind, or long enough to have logged progress), not after
 * every block a producing peer announces.
 */
final class SyncProgress {
  private static final Logger log = LoggerFactory.getLogger("io.peerd.sync.progress");
  static final int SYNC_BLOCKS = 100;

  private final long intervalMillis;
  private long lastLogMillis;
  private int lastLogHeight;
  private boolean behind;
  private boolean reportCatchUp;

  SyncProgress(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  void tipMoved(ChainSnapshot snapshot, long nowMillis) {
    if (behind && snapshot.blocksCaughtUp()) {
      behind = false;
      if (reportCatchUp) {
        log.info("caught up: height {} {}", snapshot.tipHeight(), snapshot.tip().hash());
      }
      return;
    }
    maybeLog(snapshot, nowMillis);
  }

  void maybeLog(ChainSnapshot snapshot, long nowMillis) {
    if (snapshot.blocksCaughtUp()) {
      return;
    }
    int height = snapshot.tipHeight();
    int best = snapshot.bestHeader().height();
    if (!behind) {
      behind = true;
      reportCatchUp = best - height >= SYNC_BLOCKS;
      lastLogMillis = nowMillis;
      lastLogHeight = height;
      return;
    }
    if (nowMillis - lastLogMillis < intervalMillis) {
      return;
    }
    reportCatchUp = true;
    double blocksPerSecond = (height - lastLogHeight) * 1000.0 / (nowMillis - lastLogMillis);
    String eta = blocksPerSecond > 0 ? Math.round((best - height) / blocksPerSecond) + " s" : "unknown";
    log.info("syncing: height {} of {} ({}%), {} blocks/s, {} left", height, best,
        String.format("%.1f", best == 0 ? 100.0 : height * 100.0 / best), String.format("%.1f", blocksPerSecond), eta);
    lastLogMillis = nowMillis;
    lastLogHeight = height;
  }
}
