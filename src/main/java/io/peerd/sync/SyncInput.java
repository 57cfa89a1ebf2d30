package io.peerd.sync;

import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;

/** What the server hands the sync manager; every method only enqueues. */
public interface SyncInput {
  /** A peer completed its handshake. Always before {@link #peerDone} for the same peer. */
  void peerAdded(PeerHandle peer);

  /** A peer that was added has ended. */
  void peerDone(PeerHandle peer);

  /** Headers, a block, inv or notfound from a peer; false if refused (the caller calls done). */
  boolean received(Received message);
}
