package io.peerd.actor;

import java.util.ArrayDeque;

/**
 * An actor's FIFO mailbox. Two kinds of messages share one queue, so their relative order holds:
 * {@link #offer counted} ones, refused (never waited for) once {@code capacity} of them are
 * queued, and {@link #putBounded bounded-by-construction} ones, never refused, whose number the
 * owning actor documents. Neither kind ever blocks the sender.
 *
 * <p>A plain monitor guards the queue (one consumer; senders hold it only to add), which the
 * model checker in the tests schedules exactly.
 *
 * <p>Sends that waited while it is full would bring back seed 001's deadlock:
 * {@code bin/prove-reversions} puts that into this class and shows the block-storm model check
 * finds it.
 */
public final class Mailbox {
  private final int capacity;
  private final Object lock = new Object();
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int counted;
  private int refused;

  public Mailbox(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("mailbox capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** Enqueues a counted message; false (at once) if {@code capacity} counted messages are queued. */
  public boolean offer(Object message) {
    synchronized (lock) {
      if (counted >= capacity) {
        refused++;
        return false;
      }
      counted++;
      queue.add(new Counted(message));
      lock.notifyAll();
      return true;
    }
  }

  /** Enqueues a message bounded by construction; never refused, never blocks. */
  public void putBounded(Object message) {
    synchronized (lock) {
      queue.add(message);
      lock.notifyAll();
    }
  }

  /**
   * Takes back a bounded message not yet taken by the consumer (matched by identity); false if
   * it was taken already. O(queue length).
   */
  public boolean withdrawBounded(Object message) {
    synchronized (lock) {
      for (var it = queue.iterator(); it.hasNext(); ) {
        if (it.next() == message) {
          it.remove();
          return true;
        }
      }
      return false;
    }
  }

  /** The next message, waiting for one. */
  public Object take() throws InterruptedException {
    synchronized (lock) {
      while (queue.isEmpty()) {
        lock.wait();
      }
      return unwrap(queue.poll());
    }
  }

  /** The next message, or null if none is queued. */
  public Object poll() {
    synchronized (lock) {
      Object next = queue.poll();
      return next == null ? null : unwrap(next);
    }
  }

  public int size() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Counted messages refused since creation. */
  public int refusedCount() {
    synchronized (lock) {
      return refused;
    }
  }

  private Object unwrap(Object queued) {
    if (queued instanceof Counted c) {
      counted--;
      return c.message();
    }
    return queued;
  }

  /** Marks a message that holds one of the counted slots until taken. */
  private record Counted(Object message) {}
}
