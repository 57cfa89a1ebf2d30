package io.peerd.peer;

import java.util.List;

/** What the server, which creates and admits peers, may do beyond {@link PeerHandle}. */
public interface ManagedPeer extends PeerHandle {
  /** Starts the peer's threads; called once, by the server. */
  void start();

  /** The server accepted the remote's version: the handshake goes on. */
  void admit();

  /**
   * The server handled the peer's "added" and passed it on to the sync manager: messages the
   * peer forwards from now on reach the actors after it.
   */
  void activated();

  /** The nonce of our version message, to recognise a connection to ourselves. */
  long localNonce();

  /** The shortest ping round trip so far, {@link Long#MAX_VALUE} before any: for eviction. */
  long minPingNanos();

  /** When the peer last delivered a block new to us, 0 if never: for eviction. */
  long lastNewBlockMillis();

  /** {@link System#nanoTime} when the peer began to close, 0 while open. */
  long closingSinceNanos();

  /** The peer's threads that have not ended yet (reader, writer, lifecycle task). */
  List<Thread> liveThreads();
}
