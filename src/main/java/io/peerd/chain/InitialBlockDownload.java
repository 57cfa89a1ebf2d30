package io.peerd.chain;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the node is still in initial block download, and how far verification has come, as
 * Bitcoin Core decides them ({@code IsInitialBlockDownload}, {@code GuessVerificationProgress}).
 * One instance per node, shared by RPC and the server (which announces no tips while it is true).
 *
 * <p>Thread-safe: it reads only published snapshots, and the latch is atomic.
 */
public final class InitialBlockDownload {
  private static final Logger log = LoggerFactory.getLogger(InitialBlockDownload.class);
  /** A tip this close to now counts its distance to the best header in block intervals (Core: 2 h). */
  private static final long RECENT_TIP_SECONDS = 2 * 60 * 60;

  private final NetworkParameters params;
  private final LongSupplier clockSeconds;
  /** Once the node left initial block download it stays out: a stale tip later is not a resync. */
  private final AtomicBoolean finished = new AtomicBoolean();

  public InitialBlockDownload(NetworkParameters params, LongSupplier clockSeconds) {
    this.params = params;
    this.clockSeconds = clockSeconds;
  }

  /**
   * True while the tip has less than the network's minimum chain work or is older than the max
   * tip age; once false, false for the life of this instance.
   */
  public boolean isActive(ChainSnapshot snapshot) {
    if (finished.get()) {
      return false;
    }
    HeaderNode tip = snapshot.tip();
    boolean tooLittleWork = tip.chainWork().compareTo(params.minimumChainWork()) < 0;
    boolean tooOld = tip.header().time() < clockSeconds.getAsLong() - params.maxTipAgeSeconds();
    if (tooLittleWork || tooOld) {
      return true;
    }
    if (finished.compareAndSet(false, true)) {
      log.info("leaving initial block download at height {} (latched)", tip.height());
    }
    return false;
  }

  /**
   * The share of all transactions up to now that the tip's chain holds, from 0 to 1: Core's
   * estimate, which counts the transactions since the network's {@link NetworkParameters.ChainTxData}
   * (or since the tip, past it) at its rate. 0 when the tip's chain count is unknown.
   */
  public double verificationProgress(ChainSnapshot snapshot) {
    HeaderNode tip = snapshot.tip();
    long chainTxCount = tip.chainTxCount();
    if (chainTxCount == 0) {
      return 0.0;
    }
    NetworkParameters.ChainTxData data = params.chainTxData();
    long nowSeconds = clockSeconds.getAsLong();
    double expectedTxCount = chainTxCount <= data.txCount()
        ? data.txCount() + (nowSeconds - data.timeSeconds()) * data.txRatePerSecond()
        : chainTxCount + (nowSeconds - tipTimeSeconds(snapshot, nowSeconds)) * data.txRatePerSecond();
    return Math.min(chainTxCount / expectedTxCount, 1.0);
  }

  /**
   * The tip's time for the estimate. Near now Core counts the blocks still to download instead
   * of trusting the miner's timestamp, so a node with every block reports exactly 1.0.
   */
  private long tipTimeSeconds(ChainSnapshot snapshot, long nowSeconds) {
    HeaderNode tip = snapshot.tip();
    int blocksBehind = snapshot.bestHeader().height() - tip.height();
    boolean recent = Math.abs(nowSeconds - tip.header().time()) <= RECENT_TIP_SECONDS;
    return recent && blocksBehind >= 0 ? nowSeconds - blocksBehind * params.targetSpacingSeconds() : tip.header().time();
  }
}
