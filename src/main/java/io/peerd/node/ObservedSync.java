package io.peerd.node;

import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.sync.SyncInput;

/**
 * The sync manager as the server sees it, with each peer's "added" and "done" also told to the
 * embedder's {@link NodeEvents}: they pass here in the server's one ordered path, so a peer is
 * reported connected before disconnected, each at most once. Every call only enqueues.
 */
record ObservedSync(SyncInput sync, NodeEvents events) implements SyncInput {
  @Override
  public void peerAdded(PeerHandle peer) {
    sync.peerAdded(peer);
    events.peerConnected(peer);
  }

  @Override
  public void peerDone(PeerHandle peer) {
    sync.peerDone(peer);
    events.peerDisconnected(peer);
  }

  @Override
  public boolean received(Received message) {
    return sync.received(message);
  }
}
