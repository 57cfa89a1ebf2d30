package io.peerd.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What Core's reply to one request object looks like: the request's {@code id}, echoed when the
 * request had one (JSON null included), and its JSON-RPC version. A 1.x reply carries both
 * {@code result} and {@code error}, one of them null; a 2.0 reply says {@code "jsonrpc":"2.0"}
 * and carries only the one that applies.
 *
 * <p>Read before the request is validated, like Core, so that a refused request still gets its
 * id back; a {@code jsonrpc} other than "2.0" (wrong or missing) means a 1.x reply.
 */
record ReplyShape(Optional<JsonNode> id, boolean v2) {
  /** Core's reply shape before anything is parsed: {@code "id":null}, 1.x. */
  static final ReplyShape UNPARSED = new ReplyShape(Optional.of(NullNode.getInstance()), false);

  static ReplyShape of(JsonNode request) {
    if (!request.isObject()) {
      return UNPARSED;
    }
    JsonNode version = request.get("jsonrpc");
    boolean v2 = version != null && "2.0".equals(version.textValue());
    return new ReplyShape(Optional.ofNullable(request.get("id")), v2);
  }

  /** A 2.0 request without an id: it runs, and nothing is sent back. */
  boolean isNotification() {
    return v2 && id.isEmpty();
  }

  ObjectNode result(JsonNode result) {
    ObjectNode reply = start();
    reply.set("result", result);
    if (!v2) {
      reply.putNull("error");
    }
    return finish(reply);
  }

  ObjectNode error(RpcException error) {
    ObjectNode reply = start();
    if (!v2) {
      reply.putNull("result");
    }
    reply.putObject("error").put("code", error.code()).put("message", error.getMessage());
    return finish(reply);
  }

  private ObjectNode start() {
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    if (v2) {
      reply.put("jsonrpc", "2.0");
    }
    return reply;
  }

  private ObjectNode finish(ObjectNode reply) {
    id.ifPresent(value -> reply.set("id", value));
    return reply;
  }
}
