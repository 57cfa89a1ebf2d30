package io.peerd.actor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An actor's FIFO mailbox. Two kinds of messages share one queue, so their relative order holds:
 * {@link #offer counted} ones, refused (never waited for) once {@code capacity} of them are
 * queued, and {@link #putBounded bounded-by-construction} ones, never refused, whose number the
 * owning actor documents. Neither kind ever blocks the sender.
 *
 * <p>Once {@link #close closed} (its actor stopped), every send is turned away with
 * {@link Delivery#CLOSED} and the sender hands the message to the actor's discard handling, so
 * nothing sent late is lost silently.
 *
 * <p>A {@link ReentrantLock} guards the queue (one consumer; senders hold it only to link one
 * entry): an idle actor on a virtual thread parks on its {@link Condition} without pinning a
 * carrier on Java 21-23, where waiting inside {@code synchronized} would. The queue is linked
 * both ways, so a {@link #putWithdrawable withdrawable} message is taken back in O(1).
 *
 * <p>Sends that waited while it is full would bring back seed 001's deadlock:
 * {@code bin/prove-reversions} puts that into this class and shows the block-storm model check
 * finds it.
 */
public final class Mailbox {
  /** What became of a send. */
  public enum Delivery { QUEUED, FULL, CLOSED }

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private Entry head;
  private Entry tail;
  private int size;
  private int counted;
  private int refused;
  private boolean closed;

  public Mailbox(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("mailbox capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** A queued message that can be {@link #withdraw withdrawn} until the consumer takes it. */
  public static final class Entry {
    private final Object message;
    private final boolean countedSlot;
    private Entry previous;
    private Entry next;
    private boolean queued;

    private Entry(Object message, boolean countedSlot) {
      this.message = message;
      this.countedSlot = countedSlot;
    }
  }

  /** Enqueues a counted message; {@link Delivery#FULL} (at once) if {@code capacity} of them are queued. */
  public Delivery offer(Object message) {
    lock.lock();
    try {
      if (closed) {
        return Delivery.CLOSED;
      }
      if (counted >= capacity) {
        refused++;
        return Delivery.FULL;
      }
      counted++;
      link(new Entry(message, true));
      return Delivery.QUEUED;
    } finally {
      lock.unlock();
    }
  }

  /** Enqueues a message bounded by construction; never full, never blocks. */
  public Delivery putBounded(Object message) {
    return putWithdrawable(message) == null ? Delivery.CLOSED : Delivery.QUEUED;
  }

  /** As {@link #putBounded}, returning the entry to {@link #withdraw} it by; null if closed. */
  public Entry putWithdrawable(Object message) {
    lock.lock();
    try {
      if (closed) {
        return null;
      }
      Entry entry = new Entry(message, false);
      link(entry);
      return entry;
    } finally {
      lock.unlock();
    }
  }

  /** Takes back an entry the consumer has not taken yet, in O(1); false if it was taken already. */
  public boolean withdraw(Entry entry) {
    lock.lock();
    try {
      if (!entry.queued) {
        return false;
      }
      unlink(entry);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The next message, waiting for one. */
  public Object take() throws InterruptedException {
    lock.lock();
    try {
      while (head == null) {
        notEmpty.await();
      }
      return unlink(head);
    } finally {
      lock.unlock();
    }
  }

  /** The next message, or null at once if there is none. */
  public Object poll() {
    lock.lock();
    try {
      return head == null ? null : unlink(head);
    } finally {
      lock.unlock();
    }
  }

  /** Turns away every later send and returns what is still queued, in order. Idempotent. */
  public List<Object> close() {
    lock.lock();
    try {
      closed = true;
      List<Object> remaining = new ArrayList<>(size);
      while (head != null) {
        remaining.add(unlink(head));
      }
      return remaining;
    } finally {
      lock.unlock();
    }
  }

  public int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** Counted messages refused for want of room since creation. */
  public int refusedCount() {
    lock.lock();
    try {
      return refused;
    } finally {
      lock.unlock();
    }
  }

  private void link(Entry entry) {
    entry.previous = tail;
    if (tail == null) {
      head = entry;
    } else {
      tail.next = entry;
    }
    tail = entry;
    entry.queued = true;
    size++;
    notEmpty.signal();
  }

  private Object unlink(Entry entry) {
    if (entry.previous == null) {
      head = entry.next;
    } else {
      entry.previous.next = entry.next;
    }
    if (entry.next == null) {
      tail = entry.previous;
    } else {
      entry.next.previous = entry.previous;
    }
    entry.previous = null;
    entry.next = null;
    entry.queued = false;
    size--;
    if (entry.countedSlot) {
      counted--;
    }
    return entry.message;
  }
}
