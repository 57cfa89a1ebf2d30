package io.peerd.peer;

import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One outstanding ping at a time: when the next is due, whether the pong is overdue, and the
 * round trips so far. Touched by the timer thread, the reader and RPC, hence synchronized (no I/O
 * inside).
 */
final class PingState {
  private long outstandingNonce;
  private long sentAtNanos;
  private boolean outstanding;
  private boolean everSent;
  /** Asked for by RPC: sent at the next check, whatever the interval and an outstanding ping. */
  private boolean queued;
  private long lastRoundTripNanos = -1;
  private long minRoundTripNanos = -1;

  /**
   * A fresh nonce if a ping was queued, or if none is outstanding and the interval has passed
   * since the last one. A queued ping replaces an outstanding one, as in Core.
   */
  synchronized OptionalLong nextPingNonce(long nowNanos, long intervalMillis, Random random) {
    boolean due = !outstanding && (!everSent || TimeUnit.NANOSECONDS.toMillis(nowNanos - sentAtNanos) >= intervalMillis);
    if (!queued && !due) {
      return OptionalLong.empty();
    }
    queued = false;
    outstandingNonce = random.nextLong();
    sentAtNanos = nowNanos;
    outstanding = true;
    everSent = true;
    return OptionalLong.of(outstandingNonce);
  }

  synchronized void queue() {
    queued = true;
  }

  /** A pong with another nonce is ignored (it answers a ping we gave up on). */
  synchronized void pongReceived(long nonce, long nowNanos) {
    if (outstanding && nonce == outstandingNonce) {
      outstanding = false;
      lastRoundTripNanos = nowNanos - sentAtNanos;
      minRoundTripNanos = minRoundTripNanos < 0 ? lastRoundTripNanos : Math.min(minRoundTripNanos, lastRoundTripNanos);
    }
  }

  synchronized boolean overdue(long nowNanos, long timeoutMillis) {
    return outstanding && TimeUnit.NANOSECONDS.toMillis(nowNanos - sentAtNanos) >= timeoutMillis;
  }

  synchronized PingTimes times(long nowNanos) {
    return new PingTimes(lastRoundTripNanos, minRoundTripNanos, outstanding ? nowNanos - sentAtNanos : -1);
  }
}
