package io.peerd.lifecycle;

import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.sync.SyncManager;
import java.util.ArrayDeque;

/**
 * Seed 000's second vector, for tests only: "added" and "done" travel on two queues, and the
 * loop that drains them prefers "done" when both have something (as Go's select may), so the
 * sync manager can see a peer's "done" before its "added".
 */
final class TwoQueueSyncInput implements ActorSystem.Forwarder {
  private final SyncManager sync;
  private final Object lock = new Object();
  private final ArrayDeque<PeerHandle> added = new ArrayDeque<>();
  private final ArrayDeque<PeerHandle> done = new ArrayDeque<>();
  private boolean stopping;
  private Thread forwarder;

  TwoQueueSyncInput(SyncManager sync) {
    this.sync = sync;
  }

  @Override
  public void start() {
    forwarder = ActorSystem.THREADS.newThread(this::forward);
    forwarder.start();
  }

  @Override
  public void stop() throws InterruptedException {
    synchronized (lock) {
      stopping = true;
      lock.notifyAll();
    }
    forwarder.join();
  }

  @Override
  public void peerAdded(PeerHandle peer) {
    synchronized (lock) {
      added.add(peer);
      lock.notifyAll();
    }
  }

  @Override
  public void peerDone(PeerHandle peer) {
    synchronized (lock) {
      done.add(peer);
      lock.notifyAll();
    }
  }

  @Override
  public boolean received(Received message) {
    return sync.received(message);
  }

  private void forward() {
    while (true) {
      PeerHandle peer;
      boolean isDone;
      synchronized (lock) {
        while (added.isEmpty() && done.isEmpty() && !stopping) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (added.isEmpty() && done.isEmpty()) {
          return;
        }
        isDone = !done.isEmpty();
        peer = isDone ? done.poll() : added.poll();
      }
      if (isDone) {
        sync.peerDone(peer);
      } else {
        sync.peerAdded(peer);
      }
    }
  }
}
