package io.peerd.lifecycle;

import io.peerd.peer.ManagedPeer;
import io.peerd.peer.PeerEvents;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.server.Server;
import io.peerd.sync.SyncManager;
import io.peerd.wire.Message;

/**
 * Seed 000's first vector, for tests only: the peer's own thread tells the sync manager "done"
 * directly, racing the server, which forwards "added" on its own thread.
 */
final class DirectDoneEvents implements PeerEvents {
  private final Server server;
  private final SyncManager sync;

  DirectDoneEvents(Server server, SyncManager sync) {
    this.server = server;
    this.sync = sync;
  }

  @Override
  public void versionReceived(ManagedPeer peer, Message.Version version) {
    server.versionReceived(peer, version);
  }

  @Override
  public void peerAdded(PeerHandle peer) {
    server.peerAdded(peer);
  }

  @Override
  public void peerDone(PeerHandle peer, boolean wasAdded) {
    if (wasAdded) {
      sync.peerDone(peer);
    }
    server.peerDone(peer, false); // the server only unregisters it
  }

  @Override
  public void syncMessage(Received received) {
    server.syncMessage(received);
  }

  @Override
  public void addressMessage(Received received) {
    server.addressMessage(received);
  }

  @Override
  public void misbehaved(PeerHandle peer, String reason) {
    server.misbehaved(peer, reason);
  }
}
