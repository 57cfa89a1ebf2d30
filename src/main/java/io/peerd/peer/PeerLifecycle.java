package io.peerd.peer;

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
  private final Object lock = new Object();
  private boolean handshakeCompleted;
  private boolean closed;

  public PeerLifecycle(PeerHandle peer, PeerEvents events) {
    this.peer = peer;
    this.events = events;
  }

  /** The handshake finished; ignored if repeated or if the peer already closed. */
  public void handshakeCompleted() {
    boolean repeated;
    synchronized (lock) {
      repeated = handshakeCompleted;
      if (!repeated && !closed) {
        handshakeCompleted = true;
        lock.notifyAll();
      }
    }
    if (repeated) {
      log.warn("peer {}: handshake completion signalled twice; ignored", peer.id());
    }
  }

  /** The peer's threads have ended; repeated calls do nothing. */
  public void closed() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
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
   * True if the handshake completed first. Waits ignore interrupts (and restore the flag after):
   * "done" means the peer's threads ended, so this task must not give up early.
   */
  private boolean awaitHandshakeOrClose() {
    boolean interrupted = false;
    synchronized (lock) {
      while (!handshakeCompleted && !closed) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      restoreInterrupt(interrupted);
      return handshakeCompleted;
    }
  }

  private void awaitClose() {
    boolean interrupted = false;
    synchronized (lock) {
      while (!closed) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    restoreInterrupt(interrupted);
  }

  private static void restoreInterrupt(boolean interrupted) {
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
