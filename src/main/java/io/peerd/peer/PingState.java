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
  private long lastRoundTripNanos = -1;
  private long minRoundTripNanos = -1;

  /** A fresh nonce if no ping is outstanding and the interval has passed since the last one. */
  synchronized OptionalLong nextPingNonce(long nowNanos, long intervalMillis, Random random) {
    if (outstanding || (everSent && TimeUnit.NANOSECONDS.toMillis(nowNanos - sentAtNanos) < intervalMillis)) {
      return OptionalLong.empty();
    }
    outstandingNonce = random.nextLong();
    sentAtNanos = nowNanos;
    outstanding = true;
    everSent = true;
    return OptionalLong.of(outstandingNonce);
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
