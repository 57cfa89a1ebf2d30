package io.peerd.sync;

/**
 * @param windowBlocks blocks beyond the tip that may be requested (default 1,024)
 * @param maxInFlightPerPeer block requests outstanding per peer (default 16)
 * @param stallTimeoutMillis grace for a peer holding the window back; doubles per stall up to
 *     {@code maxStallTimeoutMillis} and shrinks again while blocks flow (default 2 s to 64 s)
 * @param headersTimeoutMillis a getheaders unanswered this long marks the peer stalled
 * @param blockTimeoutMillis a requested block not delivered this long marks the peer stalled
 * @param tickMillis how often deadlines are checked (their granularity)
 * @param progressLogMillis at most one progress line this often while behind (default 10 s)
 * @param maxPendingAtChain blocks handed to the chain actor and not yet processed
 */
public record SyncConfig(
    int windowBlocks,
    int maxInFlightPerPeer,
    long stallTimeoutMillis,
    long maxStallTimeoutMillis,
    long headersTimeoutMillis,
    long blockTimeoutMillis,
    long tickMillis,
    long progressLogMillis,
    int maxPendingAtChain) {

  public SyncConfig {
    if (windowBlocks <= 0 || maxInFlightPerPeer <= 0 || stallTimeoutMillis <= 0
        || maxStallTimeoutMillis < stallTimeoutMillis || maxPendingAtChain <= 0) {
      throw new IllegalArgumentException("sync limits must be positive");
    }
  }

  public static SyncConfig defaults() {
    return new SyncConfig(1_024, 16, 2_000, 64_000, 120_000, 120_000, 250, 10_000, 256);
  }

  public SyncConfig withTimeouts(long headersMillis, long blockMillis) {
    return new SyncConfig(windowBlocks, maxInFlightPerPeer, stallTimeoutMillis, maxStallTimeoutMillis, headersMillis,
        blockMillis, tickMillis, progressLogMillis, maxPendingAtChain);
  }
}
