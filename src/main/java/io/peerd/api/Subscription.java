package io.peerd.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's events: a queue of at most {@link #capacity()} events (a {@link NodeEvent.Missed}
 * marker included) and a virtual thread of its own that hands them, in order, to the subscriber's
 * handler.
 *
 * <p>The node only offers: it never waits for a subscriber. <b>Overflow policy: drop the newest.</b>
 * An event that finds the queue full is dropped and counted ({@link #dropped()}); the subscriber
 * then gets a {@link NodeEvent.Missed} with the number lost, at the place of the gap: before the
 * next event that found room, or after the last queued event if none came since. A handler that throws is logged and
 * gets the next event. Closing (or closing the node) stops delivery at once: queued events are
 * discarded and a handler still running is interrupted.
 */
public final class Subscription implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Subscription.class);

  private final int capacity;
  private final Set<NodeEvent.Kind> kinds;
  private final Consumer<? super NodeEvent> handler;
  private final Consumer<Subscription> onClose;
  private final AtomicLong dropped = new AtomicLong();
  /** Guards the queue, the gap count and the closed flag; held for an offer or a poll, never across the handler. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<NodeEvent> queue;
  private long missedSinceLastDelivered;
  private boolean closed;
  private final Thread thread;

  Subscription(int capacity, Set<NodeEvent.Kind> kinds, Consumer<? super NodeEvent> handler, String name,
      Consumer<Subscription> onClose) {
    if (capacity < 2) {
      throw new IllegalArgumentException("a subscription needs room for an event and a missed-events marker: "
          + "capacity >= 2, not " + capacity);
    }
    this.capacity = capacity;
    this.kinds = Set.copyOf(kinds);
    this.handler = handler;
    this.onClose = onClose;
    this.queue = new ArrayDeque<>(capacity);
    this.thread = Thread.ofVirtual().name(name).unstarted(this::deliver);
  }

  void start() {
    thread.start();
  }

  /** From the node's threads: never waits beyond the lock's few instructions; a full queue drops {@code event}. */
  void offer(NodeEvent event) {
    if (!kinds.contains(event.kind())) {
      return;
    }
    lock.lock();
    try {
      if (closed) {
        return;
      }
      int needed = missedSinceLastDelivered > 0 ? 2 : 1; // a gap goes in first, as a Missed marker
      if (capacity - queue.size() < needed) {
        missedSinceLastDelivered++;
        dropped.incrementAndGet();
        return;
      }
      if (missedSinceLastDelivered > 0) {
        queue.add(new NodeEvent.Missed(missedSinceLastDelivered));
        missedSinceLastDelivered = 0;
      }
      queue.add(event);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  private void deliver() {
    NodeEvent event;
    while ((event = next()) != null) {
      try {
        handler.accept(event);
      } catch (RuntimeException e) {
        log.warn("{}: the handler failed on {}; delivering the next event", thread.getName(), event, e);
      }
    }
  }

  /**
   * The next event, or null once closed (or interrupted by close). Drops happen only behind a
   * full queue, so when the queue has run empty with a gap counted, the gap is the latest thing.
   */
  private NodeEvent next() {
    lock.lock();
    try {
      while (queue.isEmpty() && missedSinceLastDelivered == 0 && !closed) {
        notEmpty.await();
      }
      if (closed) {
        return null;
      }
      if (!queue.isEmpty()) {
        return queue.poll();
      }
      NodeEvent gap = new NodeEvent.Missed(missedSinceLastDelivered);
      missedSinceLastDelivered = 0;
      return gap;
    } catch (InterruptedException e) {
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Events dropped because the queue was full, since the subscription began. */
  public long dropped() {
    return dropped.get();
  }

  /** The most events the queue holds, a {@link NodeEvent.Missed} marker included. */
  public int capacity() {
    return capacity;
  }

  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Stops delivery (idempotent): queued events are discarded, a running handler is interrupted. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.clear();
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    if (Thread.currentThread() != thread) {
      thread.interrupt();
    }
    onClose.accept(this);
  }

  /** Waits, at most {@code millis}, for the delivery thread to end after {@link #close}; true if it did. */
  public boolean awaitClosed(long millis) throws InterruptedException {
    return thread.join(Duration.ofMillis(millis));
  }
}
