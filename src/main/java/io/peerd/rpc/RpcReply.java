package io.peerd.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer before it is written: status, extra headers and body (empty: none sent).
 * Statuses follow bitcoind v28: a refused single request object (any version) or a failed 1.x
 * call is 400 for an invalid request, 404 for an unknown method and 500 otherwise (parse errors
 * included); a 2.0 call's error, a batch and a success are 200; a notification is 204.
 */
record RpcReply(int httpStatus, Map<String, String> headers, byte[] body) {
  static final int OK = 200;
  static final int NO_CONTENT = 204;
  static final int BAD_REQUEST = 400;
  static final int UNAUTHORIZED = 401;
  static final int NOT_FOUND = 404;
  static final int BAD_METHOD = 405;
  static final int PAYLOAD_TOO_LARGE = 413;
  static final int INTERNAL_SERVER_ERROR = 500;
  static final int SERVICE_UNAVAILABLE = 503;

  private static final byte[] NO_BODY = new byte[0];
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
  private static final Map<String, String> TEXT = Map.of("Content-Type", "text/plain; charset=utf-8");

  static RpcReply json(int httpStatus, byte[] body) {
    return new RpcReply(httpStatus, JSON, body);
  }

  static RpcReply text(int httpStatus, String body) {
    return new RpcReply(httpStatus, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  static RpcReply noContent() {
    return new RpcReply(NO_CONTENT, Map.of(), NO_BODY);
  }

  /** Core's 401: a challenge naming the realm, and no body. */
  static RpcReply unauthorized() {
    return new RpcReply(UNAUTHORIZED, Map.of("WWW-Authenticate", "Basic realm=\"jsonrpc\""), NO_BODY);
  }

  /** The status Core gives a 1.x call that fails with this RPC error code. */
  static int statusOfError(int rpcErrorCode) {
    return switch (rpcErrorCode) {
      case RpcErrorCode.RPC_INVALID_REQUEST -> BAD_REQUEST;
      case RpcErrorCode.RPC_METHOD_NOT_FOUND -> NOT_FOUND;
      default -> INTERNAL_SERVER_ERROR;
    };
  }
}
