package io.peerd.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC semantics, as bitcoind v28 has them, from request body to HTTP reply: single requests
 * and batches, 1.x and 2.0 reply shapes and statuses, notifications, and calls into the
 * registered methods. Stateless past construction; safe from any number of threads.
 */
final class RpcDispatcher {
  private static final Logger log = LoggerFactory.getLogger(RpcDispatcher.class);

  private static final ObjectMapper MAPPER = RpcJson.MAPPER;

  private final Map<String, RpcMethod> methods;
  /**
   * The calls running now, by a call number: one per worker at most (a batch runs its calls one
   * after another), so bounded by the server's thread count.
   */
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final AtomicLong callNumbers = new AtomicLong();

  private record Running(String method, long startNanos) {}

  RpcDispatcher(Map<String, RpcMethod> methods) {
    this.methods = Map.copyOf(methods);
  }

  /** The calls running now, as Core's getrpcinfo lists them: method and microseconds so far. */
  List<RpcServer.ActiveCommand> activeCommands() {
    long now = System.nanoTime();
    return running.values().stream()
        .map(call -> new RpcServer.ActiveCommand(call.method(), (now - call.startNanos()) / 1_000)).toList();
  }

  RpcReply dispatch(byte[] body) {
    JsonNode root = parse(body);
    if (root == null) {
      return error(ReplyShape.UNPARSED, new RpcException(RpcErrorCode.RPC_PARSE_ERROR, "Parse error"));
    }
    if (root.isObject()) {
      return single(root);
    }
    if (root.isArray()) {
      return batch(root);
    }
    return error(ReplyShape.UNPARSED,
        new RpcException(RpcErrorCode.RPC_PARSE_ERROR, "Top-level object parse error"));
  }

  /** The body's JSON value, or null when it is not exactly one. */
  private static JsonNode parse(byte[] body) {
    try {
      JsonNode root = MAPPER.readTree(body);
      return root == null || root.isMissingNode() ? null : root;
    } catch (IOException notJson) {
      return null;
    }
  }

  /**
   * A lone request. Core lets a 1.x call's error become an HTTP error status; a 2.0 call's error
   * is a 200 reply. A request object Core cannot read is an HTTP error in both.
   */
  private RpcReply single(JsonNode node) {
    ReplyShape shape = ReplyShape.of(node);
    try {
      RpcRequest request = RpcRequest.parse(node);
      if (!shape.v2()) {
        return ok(shape.result(call(request)));
      }
      ObjectNode reply = answer(shape, request);
      return shape.isNotification() ? RpcReply.noContent() : ok(reply);
    } catch (RpcException e) {
      return error(shape, e);
    }
  }

  /**
   * Runs each element in order; every error stays inside the 200 reply. Notifications get no
   * element; a non-empty batch of only notifications gets 204, an empty one {@code []} (Core
   * keeps that for old clients).
   */
  private RpcReply batch(JsonNode nodes) {
    ArrayNode replies = MAPPER.createArrayNode();
    for (JsonNode node : nodes) {
      ReplyShape shape = ReplyShape.of(node);
      ObjectNode reply;
      try {
        reply = answer(shape, RpcRequest.parse(node));
      } catch (RpcException refused) {
        reply = shape.error(refused);
      }
      if (!shape.isNotification()) {
        replies.add(reply);
      }
    }
    return replies.isEmpty() && !nodes.isEmpty() ? RpcReply.noContent() : ok(replies);
  }

  private ObjectNode answer(ReplyShape shape, RpcRequest request) {
    try {
      return shape.result(call(request));
    } catch (RpcException e) {
      return shape.error(e);
    }
  }

  /** Runs the method; whatever goes wrong comes out as an {@link RpcException}. */
  private JsonNode call(RpcRequest request) {
    RpcMethod method = methods.get(request.method());
    if (method == null) {
      throw new RpcException(RpcErrorCode.RPC_METHOD_NOT_FOUND, "Method not found");
    }
    long callNumber = callNumbers.incrementAndGet();
    running.put(callNumber, new Running(request.method(), System.nanoTime()));
    try {
      JsonNode result = MAPPER.valueToTree(method.call(request.params()));
      return result == null ? NullNode.getInstance() : result;
    } catch (RpcException e) {
      throw e;
    } catch (Exception bug) { // a method's bug, or a result Jackson cannot write: not the server's end
      log.warn("RPC method {} failed", request.method(), bug);
      String message = bug.getMessage() == null ? bug.getClass().getName() : bug.getMessage();
      throw new RpcException(RpcErrorCode.RPC_INTERNAL_ERROR, message);
    } finally {
      running.remove(callNumber);
    }
  }

  private static RpcReply ok(JsonNode reply) {
    return RpcReply.json(RpcReply.OK, write(reply));
  }

  private static RpcReply error(ReplyShape shape, RpcException e) {
    return RpcReply.json(RpcReply.statusOfError(e.code()), write(shape.error(e)));
  }

  /** Core ends every JSON reply with a newline. */
  private static byte[] write(JsonNode reply) {
    try {
      return (MAPPER.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("a JSON tree of plain nodes always serializes", e);
    }
  }
}
