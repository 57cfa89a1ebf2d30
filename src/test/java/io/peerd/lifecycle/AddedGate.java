package io.peerd.lifecycle;

import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.sync.SyncInput;
import java.util.HashSet;
import java.util.Set;

/**
 * Passes everything to the sync manager, and lets a test wait until a peer's "added" has been
 * queued there: messages the test sends from that peer afterwards queue behind it (FIFO), so
 * the sync manager handles them as coming from a known peer.
 */
final class AddedGate implements SyncInput {
  private final SyncInput sync;
  private final Object lock = new Object();
  private final Set<Long> added = new HashSet<>();

  AddedGate(SyncInput sync) {
    this.sync = sync;
  }

  void awaitAdded(PeerHandle peer) throws InterruptedException {
    synchronized (lock) {
      while (!added.contains(peer.id())) {
        lock.wait();
      }
    }
  }

  @Override
  public void peerAdded(PeerHandle peer) {
    sync.peerAdded(peer);
    synchronized (lock) {
      added.add(peer.id());
      lock.notifyAll();
    }
  }

  @Override
  public void peerDone(PeerHandle peer) {
    sync.peerDone(peer);
  }

  @Override
  public boolean received(Received message) {
    return sync.received(message);
  }
}
