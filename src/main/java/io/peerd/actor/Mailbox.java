package io.peerd.actor;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An actor's FIFO mailbox. Two kinds of messages share one queue, so their relative order holds:
 * {@link #offer counted} ones, refused (never waited for) once {@code capacity} of them are
 * queued, and {@link #putBounded bounded-by-construction} ones, never refused, whose number the
 * owning actor documents. Neither kind ever blocks the sender.
 *
 * <p>Not final: tests replace it with a mailbox whose sends block when full, which reintroduces
 * the deadlock of seed 001 and shows the controlled-concurrency tests catch it.
 */
public class Mailbox {
  private final int capacity;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger counted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  public Mailbox(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("mailbox capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** Enqueues a counted message; false (at once) if {@code capacity} counted messages are queued. */
  public boolean offer(Object message) {
    if (counted.incrementAndGet() > capacity) {
      counted.decrementAndGet();
      refused.incrementAndGet();
      return false;
    }
    queue.add(new Counted(message));
    return true;
  }

  /** Enqueues a message bounded by construction; never refused, never blocks. */
  public void putBounded(Object message) {
    queue.add(message);
  }

  /** The next message, waiting for one. */
  public Object take() throws InterruptedException {
    return unwrap(queue.take());
  }

  /** The next message, or null if none is queued. */
  public Object poll() {
    Object next = queue.poll();
    return next == null ? null : unwrap(next);
  }

  public int size() {
    return queue.size();
  }

  public int capacity() {
    return capacity;
  }

  /** Counted messages refused since creation. */
  public int refusedCount() {
    return refused.get();
  }

  private Object unwrap(Object queued) {
    if (queued instanceof Counted c) {
      counted.decrementAndGet();
      return c.message();
    }
    return queued;
  }

  /** Marks a message that holds one of the counted slots until taken. */
  private record Counted(Object message) {}
}
