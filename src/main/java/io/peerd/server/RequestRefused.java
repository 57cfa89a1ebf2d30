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

  /** Core's RPC_CLIENT_NODE_CAPACITY_REACHED: the operator's connections are at their limit. */
  public static RequestRefused capacityReached() {
    return new RequestRefused(-34, "Max number of added nodes (" + ServerConfig.MAX_ADDED_PEERS + ") reached");
  }

  public int code() {
    return code;
  }
}
