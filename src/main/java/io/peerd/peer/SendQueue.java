package io.peerd.peer;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A peer's outgoing frames, capped in bytes, and who writes them. Producers never block: past the
 * cap, {@link #offer} fails and the peer is disconnected as too slow. A writer runs only while
 * there is something to write: the offer that finds no writer running says so and its caller
 * starts one, which takes frames until the queue is empty or closed, then stops. Once the queue is
 * closed and no writer runs, {@code writerGone} runs, exactly once. The peer's own reader may wait
 * in {@link #awaitBelow} while serving a large getdata. The lock guards only the deque, counters and
 * flags, never I/O.
 */
final class SendQueue {
  /** What an offer did. */
  enum Offer {
    QUEUED,
    /** Queued, and no writer runs: the caller must start one. */
    QUEUED_START_WRITER,
    REFUSED
  }

  private final long capacityBytes;
  private final Runnable writerGone;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();
  private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
  private long queuedBytes;
  private boolean closed;
  private boolean writing;
  private boolean writerGoneRun;

  SendQueue(long capacityBytes, Runnable writerGone) {
    this.capacityBytes = capacityBytes;
    this.writerGone = writerGone;
  }

  /** Refused if closed or if the frame would pass the byte cap. */
  Offer offer(byte[] frame) {
    lock.lock();
    try {
      if (closed || queuedBytes + frame.length > capacityBytes) {
        return Offer.REFUSED;
      }
      frames.add(frame);
      queuedBytes += frame.length;
      if (writing) {
        return Offer.QUEUED;
      }
      writing = true;
      return Offer.QUEUED_START_WRITER;
    } finally {
      lock.unlock();
    }
  }

  /** For the running writer: the next frame, or null when empty or closed, and then the writer must stop. */
  byte[] nextOrStop() {
    boolean gone;
    lock.lock();
    try {
      if (!closed && !frames.isEmpty()) {
        byte[] frame = frames.poll();
        queuedBytes -= frame.length;
        drained.signalAll();
        return frame;
      }
      gone = stopWriting();
    } finally {
      lock.unlock();
    }
    runIf(gone);
    return null;
  }

  /** For a writer that stops on a failed write, after it closed the queue. */
  void writerFailed() {
    boolean gone;
    lock.lock();
    try {
      gone = stopWriting();
    } finally {
      lock.unlock();
    }
    runIf(gone);
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
        drained.await();
      }
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  /** Drops what is queued and wakes every waiter; a running writer stops at its next frame. */
  void close() {
    boolean gone;
    lock.lock();
    try {
      closed = true;
      frames.clear();
      queuedBytes = 0;
      drained.signalAll();
      gone = !writing && markWriterGone();
    } finally {
      lock.unlock();
    }
    runIf(gone);
  }

  long queuedBytes() {
    lock.lock();
    try {
      return queuedBytes;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: the writer stops; true if that leaves a closed queue with no writer. */
  private boolean stopWriting() {
    writing = false;
    return closed && markWriterGone();
  }

  private boolean markWriterGone() {
    if (writerGoneRun) {
      return false;
    }
    writerGoneRun = true;
    return true;
  }

  private void runIf(boolean gone) {
    if (gone) {
      writerGone.run();
    }
  }
}
