package io.peerd.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One validated request object: the method's name and its params (an array or an object; an
 * empty array when the request had none or null). {@link #parse} refuses what Core's
 * {@code JSONRPCRequest::parse} refuses, with Core's messages, as
 * {@link RpcErrorCode#RPC_INVALID_REQUEST}.
 */
record RpcRequest(String method, JsonNode params) {

  static RpcRequest parse(JsonNode request) {
    if (!request.isObject()) {
      throw invalid("Invalid Request object");
    }
    checkVersion(request.get("jsonrpc"));
    JsonNode method = request.get("method");
    if (method == null || method.isNull()) {
      throw invalid("Missing method");
    }
    if (!method.isTextual()) {
      throw invalid("Method must be a string");
    }
    return new RpcRequest(method.textValue(), params(request.get("params")));
  }

  /** Core accepts no version (1.x), "1.0" (old docs sent it) and "2.0". */
  private static void checkVersion(JsonNode version) {
    if (version == null || version.isNull()) {
      return;
    }
    if (!version.isTextual()) {
      throw invalid("jsonrpc field must be a string");
    }
    if (!version.textValue().equals("1.0") && !version.textValue().equals("2.0")) {
      throw invalid("JSON-RPC version not supported");
    }
  }

  private static JsonNode params(JsonNode params) {
    if (params == null || params.isNull()) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!params.isArray() && !params.isObject()) {
      throw invalid("Params must be an array or object");
    }
    return params;
  }

  private static RpcException invalid(String message) {
    return new RpcException(RpcErrorCode.RPC_INVALID_REQUEST, message);
  }
}
