package io.peerd.peer;

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
}
