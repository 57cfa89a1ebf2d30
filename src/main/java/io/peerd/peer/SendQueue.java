package io.peerd.peer;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A peer's outgoing frames, capped in bytes. Producers never block: past the cap, {@link #offer}
 * fails and the peer is disconnected as too slow. The writer thread blocks in {@link #take};
 * the peer's own reader may wait in {@link #awaitBelow} while serving a large getdata. The lock
 * guards only the deque and counters, never I/O.
 */
final class SendQueue {
  private final long capacityBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
  private long queuedBytes;
  private boolean closed;

  SendQueue(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /** False if closed or if the frame would pass the byte cap. */
  boolean offer(byte[] frame) {
    lock.lock();
    try {
      if (closed || queuedBytes + frame.length > capacityBytes) {
        return false;
      }
      frames.add(frame);
      queuedBytes += frame.length;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The next frame, waiting for one; null once closed. */
  byte[] take() throws InterruptedException {
    lock.lock();
    try {
      while (frames.isEmpty() && !closed) {
        changed.await();
      }
      if (closed) {
        return null;
      }
      byte[] frame = frames.poll();
      queuedBytes -= frame.length;
      changed.signalAll();
      return frame;
    } finally {
      lock.unlock();
    }
  }

  boolean isEmpty() {
    lock.lock();
    try {
      return frames.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until fewer than {@code bytes} are queued; false if the queue closed first. */
  boolean awaitBelow(long bytes) throws InterruptedException {
    lock.lock();
    try {
      while (queuedBytes >= bytes && !closed) {
        changed.await();
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  /** Drops what is queued and wakes every waiter. */
  void close() {
    lock.lock();
    try {
      closed = true;
      frames.clear();
      queuedBytes = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  long queuedBytes() {
    lock.lock();
    try {
      return queuedBytes;
    } finally {
      lock.unlock();
    }
  }
}
