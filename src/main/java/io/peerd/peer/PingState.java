package io.peerd.peer;

import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One outstanding ping at a time: when the next is due, whether the pong is overdue, and the last
 * round trip. Touched by the timer thread and the reader, hence synchronized (no I/O inside).
 */
final class PingState {
  private long outstandingNonce;
  private long sentAtNanos;
  private boolean outstanding;
  private boolean everSent;
  private long lastRoundTripMillis = -1;

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
      lastRoundTripMillis = TimeUnit.NANOSECONDS.toMillis(nowNanos - sentAtNanos);
    }
  }

  synchronized boolean overdue(long nowNanos, long timeoutMillis) {
    return outstanding && TimeUnit.NANOSECONDS.toMillis(nowNanos - sentAtNanos) >= timeoutMillis;
  }

  synchronized long lastRoundTripMillis() {
    return lastRoundTripMillis;
  }
}
