package io.peerd.node;

import io.peerd.chain.Chain;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.peer.PeerHandle;

/**
 * What the node tells whoever embeds it (the {@code io.peerd.api} package): the tip moving, a new
 * best header, peers coming and going. Each method runs on an actor's thread (the chain's or the
 * server's) and must only enqueue, without waiting and without calling back into the node: it is
 * one of the actor's cross-actor notifications and holds the actor for no longer than an offer.
 */
public interface NodeEvents {
  /** Tells nobody. */
  NodeEvents NONE = new NodeEvents() {};

  /** The tip moved: {@code reorg}'s blocks left and joined, in height order; on the chain thread. */
  default void tipMoved(Chain.Reorg reorg, ChainView view) {}

  /** The best header changed (more work than the one before); on the chain thread. */
  default void bestHeaderChanged(HeaderNode header) {}

  /** A peer completed its handshake; on the server thread, before its messages reach the sync manager. */
  default void peerConnected(PeerHandle peer) {}

  /** A peer that was connected has ended; on the server thread. */
  default void peerDisconnected(PeerHandle peer) {}
}
