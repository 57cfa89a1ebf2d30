package io.peerd.testing;

import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.sync.SyncInput;

/** A sync input that ignores everything, for server tests the sync manager is not part of. */
public final class NoSync implements SyncInput {
  @Override
  public void peerAdded(PeerHandle peer) {}

  @Override
  public void peerDone(PeerHandle peer) {}

  @Override
  public boolean received(Received message) {
    return false;
  }
}
