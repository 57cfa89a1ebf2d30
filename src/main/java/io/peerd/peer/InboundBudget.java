package io.peerd.peer;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How much a peer may have forwarded to actors and not yet handled. The reader takes before
 * forwarding and waits when the budget is spent; actors give back when done. Each message costs
 * at least {@code minimumCostBytes}, so the budget also caps the message count
 * ({@code capacityBytes / minimumCostBytes}), and at most {@code capacityBytes}, so one message
 * larger than the budget still passes once the budget is whole.
 */
final class InboundBudget {
  private final long capacityBytes;
  private final long minimumCostBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition returned = lock.newCondition();
  private long availableBytes;
  private boolean closed;

  InboundBudget(long capacityBytes, long minimumCostBytes) {
    if (minimumCostBytes <= 0 || minimumCostBytes > capacityBytes) {
      throw new IllegalArgumentException("need 0 < minimum cost <= capacity");
    }
    this.capacityBytes = capacityBytes;
    this.minimumCostBytes = minimumCostBytes;
    this.availableBytes = capacityBytes;
  }

  long costOf(int payloadBytes) {
    return Math.min(capacityBytes, Math.max(minimumCostBytes, payloadBytes));
  }

  /** Takes {@code cost}, waiting for it; false if closed first. */
  boolean take(long cost) throws InterruptedException {
    lock.lock();
    try {
      while (availableBytes < cost && !closed) {
        returned.await();
      }
      if (closed) {
        return false;
      }
      availableBytes -= cost;
      return true;
    } finally {
      lock.unlock();
    }
  }

  void giveBack(long cost) {
    lock.lock();
    try {
      availableBytes += cost;
      assert availableBytes <= capacityBytes : "budget returned more than was taken";
      returned.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes a waiting reader for good (the peer is closing). */
  void close() {
    lock.lock();
    try {
      closed = true;
      returned.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes forwarded and not yet handled. */
  long outstandingBytes() {
    lock.lock();
    try {
      return capacityBytes - availableBytes;
    } finally {
      lock.unlock();
    }
  }
}
