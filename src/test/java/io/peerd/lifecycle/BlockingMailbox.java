package io.peerd.lifecycle;

import io.peerd.actor.Mailbox;

/**
 * Seed 001's mistake, for tests only: a mailbox whose sends wait while it is full, like a Go
 * channel. With it, two actors that send to each other can each wait for the other forever.
 */
final class BlockingMailbox extends Mailbox {
  private final Object room = new Object();
  private final int capacity;
  private int queued;

  BlockingMailbox(int capacity) {
    super(capacity);
    this.capacity = capacity;
  }

  @Override
  public boolean offer(Object message) {
    putBounded(message);
    return true;
  }

  @Override
  public void putBounded(Object message) {
    synchronized (room) {
      while (queued >= capacity) {
        try {
          room.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      queued++;
    }
    super.putBounded(message);
  }

  @Override
  public Object take() throws InterruptedException {
    Object message = super.take();
    freeOne();
    return message;
  }

  @Override
  public Object poll() {
    Object message = super.poll();
    if (message != null) {
      freeOne();
    }
    return message;
  }

  @Override
  public boolean withdrawBounded(Object message) {
    boolean withdrawn = super.withdrawBounded(message);
    if (withdrawn) {
      freeOne();
    }
    return withdrawn;
  }

  private void freeOne() {
    synchronized (room) {
      queued--;
      room.notifyAll();
    }
  }
}
