package io.peerd.peer;

/**
 * Why peerd closed a connection, typed so that code, logs and metrics can tell the causes apart;
 * a detail in words goes with it.
 */
public enum DisconnectReason {
  /** The remote closed the connection, or reading or writing failed. */
  CONNECTION_LOST("connection lost"),
  /** A frame or a message broke the protocol (bad frame, bad handshake, wrong network). */
  PROTOCOL_VIOLATION("protocol violation"),
  /** Its misbehaviour score reached the threshold: its address is discouraged too. */
  MISBEHAVING("misbehaving"),
  /** No version and verack within the handshake timeout, or no activation after it. */
  HANDSHAKE_TIMEOUT("handshake timeout"),
  /** No pong within the ping timeout, or nothing at all within the idle timeout. */
  UNRESPONSIVE("unresponsive"),
  /** Its send queue passed its byte cap: it reads too slowly. */
  TOO_SLOW("too slow"),
  /** It held sync back: no headers, a requested block, or the download window, for too long. */
  STALLED("stalled"),
  /** An actor had no room for its messages. */
  OVERLOADED("overloaded"),
  /** Another connection to the same node stays (the tie-break of simultaneous dials). */
  DUPLICATE("duplicate connection"),
  /** The connection is to this node itself. */
  SELF_CONNECTION("self-connection"),
  /** The inbound slots were full and eviction chose it, to make room for a newcomer. */
  EVICTED("evicted"),
  /** The operator asked (RPC disconnectnode). */
  REQUESTED("requested"),
  /** The node or the peer's thread is stopping. */
  SHUTDOWN("shutting down"),
  /** A bug in peerd, logged with its stack. */
  INTERNAL_ERROR("internal error");

  private final String text;

  DisconnectReason(String text) {
    this.text = text;
  }

  /** The reason and its detail as one line for logs: "stalled: no headers within 120000 ms". */
  public String describe(String detail) {
    return detail.isEmpty() ? text : text + ": " + detail;
  }
}
