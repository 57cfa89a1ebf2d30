package io.peerd.peer;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-peer lifecycle task: the only sender of the peer's "added" and "done" events, so they
 * leave in that order, on one path (seed 000). "Added" is sent only if the handshake completed
 * before the peer closed; "done" always, exactly once, after the peer's threads ended. Signals
 * may come from any thread, in any order, any number of times: a second handshake signal is
 * ignored, and one after close is too.
 */
public final class PeerLifecycle implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(PeerLifecycle.class);

  private final PeerHandle peer;
  private final PeerEvents events;
  /** A lock, not a monitor: the task runs on a virtual thread, which on Java 21 pins its carrier in Object.wait. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean handshakeCompleted;
  private boolean closed;

  public PeerLifecycle(PeerHandle peer, PeerEvents events) {
    this.peer = peer;
    this.events = events;
  }

  /** The handshake finished; ignored if repeated or if the peer already closed. */
  public void handshakeCompleted() {
    boolean repeated;
    lock.lock();
    try {
      repeated = handshakeCompleted;
      if (!repeated && !closed) {
        handshakeCompleted = true;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (repeated) {
      log.warn("peer {}: handshake completion signalled twice; ignored", peer.id());
    }
  }

  /** The peer's threads have ended; repeated calls do nothing. */
  public void closed() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    boolean added = awaitHandshakeOrClose();
    if (added) {
      events.peerAdded(peer);
    }
    awaitClose();
    events.peerDone(peer, added);
  }

  /**
   * True if the handshake completed first. Waits ignore interrupts: "done" means the peer's
   * threads ended, so this task must not give up early.
   */
  private boolean awaitHandshakeOrClose() {
    lock.lock();
    try {
      while (!handshakeCompleted && !closed) {
        changed.awaitUninterruptibly();
      }
      return handshakeCompleted;
    } finally {
      lock.unlock();
    }
  }

  private void awaitClose() {
    lock.lock();
    try {
      while (!closed) {
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }
}
