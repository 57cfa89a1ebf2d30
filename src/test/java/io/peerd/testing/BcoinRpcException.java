package io.peerd.testing;

/** bcoin answered a JSON-RPC call with an error, or with something that is not a JSON-RPC reply. */
public final class BcoinRpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The JSON-RPC error code, or the HTTP status when the reply carried no JSON-RPC error. */
  private final int code;

  BcoinRpcException(String method, int code, String message) {
    super("bcoin RPC " + method + " failed (" + code + "): " + message);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
