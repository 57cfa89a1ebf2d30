package io.peerd.rpc;

/**
 * An RPC call's failure as the client sees it: a Bitcoin Core error code from
 * {@link RpcErrorCode} and a message, sent back as the reply's {@code error} object. Unchecked so
 * that the {@link RpcParams} helpers and a method's own checks can throw it from anywhere in the
 * call, lambdas included; anything else a method throws is a bug and becomes
 * {@link RpcErrorCode#RPC_INTERNAL_ERROR}.
 */
public final class RpcException extends RuntimeException {
  private final int code;

  public RpcException(int code, String message) {
    super(message, null, false, false); // no stack trace: a refused call is expected, not a bug
    this.code = code;
  }

  public int code() {
    return code;
  }
}
