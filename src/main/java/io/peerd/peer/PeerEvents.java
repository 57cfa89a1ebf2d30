package io.peerd.peer;

import io.peerd.wire.Message;

/**
 * Where a peer's facts go. Every method must only enqueue (non-blocking); the server and the
 * sync manager implement them behind their mailboxes.
 */
public interface PeerEvents {
  /**
   * The remote's version arrived and passed the peer's own checks. The receiver decides
   * (duplicates, self-connection, limits) and calls {@link ManagedPeer#admit} or disconnects the peer.
   */
  void versionReceived(ManagedPeer peer, Message.Version version);

  /** Handshake completed before any disconnect. Sent at most once, only by the lifecycle task. */
  void peerAdded(PeerHandle peer);

  /** The peer's reader and writer have ended; sent exactly once, after {@link #peerAdded} if any. */
  void peerDone(PeerHandle peer, boolean wasAdded);

  /** Headers, a block, inv or notfound, for the sync manager; call {@link Received#done} when handled. */
  void syncMessage(Received received);

  /** addr, addrv2 or getaddr, for address relay; call {@link Received#done} when handled. */
  void addressMessage(Received received);

  /** The peer reached the misbehavior threshold: its address should be discouraged. */
  void misbehaved(PeerHandle peer, String reason);
}
