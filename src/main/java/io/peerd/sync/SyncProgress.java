package io.peerd.sync;

import io.peerd.chain.ChainSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync progress log: while behind, at most one line per {@code intervalMillis} (height, best
 * header, percent, blocks per second, time left), and one line when caught up.
 */
final class SyncProgress {
  private static final Logger log = LoggerFactory.getLogger("io.peerd.sync.progress");

  private final long intervalMillis;
  private long lastLogMillis;
  private int lastLogHeight = -1;
  private boolean behind;

  SyncProgress(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  void tipMoved(ChainSnapshot snapshot, long nowMillis) {
    if (behind && snapshot.blocksCaughtUp()) {
      behind = false;
      log.info("caught up: height {} {}", snapshot.tipHeight(), snapshot.tip().hash());
      return;
    }
    maybeLog(snapshot, nowMillis);
  }

  void maybeLog(ChainSnapshot snapshot, long nowMillis) {
    if (snapshot.blocksCaughtUp()) {
      return;
    }
    if (!behind) {
      behind = true;
      lastLogMillis = nowMillis;
      lastLogHeight = snapshot.tipHeight();
      return;
    }
    if (nowMillis - lastLogMillis < intervalMillis) {
      return;
    }
    int height = snapshot.tipHeight();
    int best = snapshot.bestHeader().height();
    double blocksPerSecond = (height - lastLogHeight) * 1000.0 / (nowMillis - lastLogMillis);
    String eta = blocksPerSecond > 0 ? Math.round((best - height) / blocksPerSecond) + " s" : "unknown";
    log.info("syncing: height {} of {} ({}%), {} blocks/s, {} left", height, best,
        String.format("%.1f", best == 0 ? 100.0 : height * 100.0 / best), String.format("%.1f", blocksPerSecond), eta);
    lastLogMillis = nowMillis;
    lastLogHeight = height;
  }
}
