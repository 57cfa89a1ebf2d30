package io.peerd.server;

/** Why an inbound socket was closed before its handshake began: a fixed set, so counts per reason stay bounded. */
public enum InboundRefusal {
  SHUTTING_DOWN("shutting down"),
  BANNED("banned"),
  HANDSHAKING_PER_NETWORK("too many unfinished handshakes from one network"),
  EVICTED_STILL_CLOSING("inbound limit, evicted connections still closing"),
  DISCOURAGED("discouraged, and the inbound slots nearly full"),
  NOBODY_TO_EVICT("inbound limit, nobody to evict");

  private final String text;

  InboundRefusal(String text) {
    this.text = text;
  }

  @Override
  public String toString() {
    return text;
  }
}
