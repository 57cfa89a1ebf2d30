package io.peerd.server;

/** A refused RPC request to the server, with the Bitcoin Core error code to answer with. */
public final class RequestRefused extends RuntimeException {
  private final int code;

  public RequestRefused(int code, String message) {
    super(message);
    this.code = code;
  }

  /** Core's answer when disconnectnode names no connected peer. */
  public static RequestRefused nodeNotConnected() {
    return new RequestRefused(-29, "Node not found in connected nodes");
  }

  public int code() {
    return code;
  }
}
