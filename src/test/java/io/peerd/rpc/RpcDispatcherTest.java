package io.peerd.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** JSON-RPC semantics without HTTP; cases follow Core's test/functional/interface_rpc.py. */
class RpcDispatcherTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Tip(int height, String hash) {}

  private final AtomicInteger counter = new AtomicInteger();
  private final RpcDispatcher dispatcher = new RpcDispatcher(Map.of(
      "echo", params -> params,
      "count", params -> counter.incrementAndGet(),
      "fail", params -> {
        throw new IllegalStateException("boom");
      },
      "failWithoutMessage", params -> {
        throw new UnsupportedOperationException();
      },
      "refuse", params -> {
        throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "Block height out of range");
      },
      "tip", params -> new Tip(5, "00ab"),
      "amount", params -> new BigDecimal("0.00010000"),
      "nothing", params -> null,
      "unwritable", params -> new Object()));

  @Test
  void legacyCallRepliesWithResultErrorAndId() {
    assertReply("{\"method\":\"echo\",\"params\":[1,\"a\"],\"id\":7}", 200,
        "{\"result\":[1,\"a\"],\"error\":null,\"id\":7}");
    assertReply("{\"jsonrpc\":\"1.0\",\"method\":\"echo\",\"params\":{\"k\":true},\"id\":\"x\"}", 200,
        "{\"result\":{\"k\":true},\"error\":null,\"id\":\"x\"}");
    assertReply("{\"method\":\"echo\"}", 200, "{\"result\":[],\"error\":null}");
  }

  @Test
  void v2CallRepliesWithOnlyTheResult() {
    assertReply("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":7}", 200,
        "{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":7}");
    assertReply("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":null,\"id\":null}", 200,
        "{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":null}");
  }

  @Test
  void resultsAreSerializedWithJackson() {
    assertReply("{\"method\":\"tip\",\"id\":1}", 200,
        "{\"result\":{\"height\":5,\"hash\":\"00ab\"},\"error\":null,\"id\":1}");
    assertReply("{\"method\":\"nothing\",\"id\":1}", 200, "{\"result\":null,\"error\":null,\"id\":1}");
    assertThat(body("{\"method\":\"amount\",\"id\":1}")).isEqualTo("{\"result\":0.00010000,\"error\":null,\"id\":1}\n");
    assertThat(body("{\"method\":\"echo\",\"params\":[21000000.00000000],\"id\":1.50}"))
        .isEqualTo("{\"result\":[21000000.00000000],\"error\":null,\"id\":1.50}\n");
  }

  @Test
  void unknownMethodIs404InLegacyAnd200InV2() {
    assertReply("{\"method\":\"nope\",\"id\":1}", 404,
        "{\"result\":null,\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}");
    assertReply("{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":1}", 200,
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":1}");
  }

  @Test
  void methodRefusalKeepsItsCodeAndIs500InLegacy() {
    assertReply("{\"method\":\"refuse\",\"id\":1}", 500,
        "{\"result\":null,\"error\":{\"code\":-8,\"message\":\"Block height out of range\"},\"id\":1}");
    assertReply("{\"jsonrpc\":\"2.0\",\"method\":\"refuse\",\"id\":1}", 200,
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-8,\"message\":\"Block height out of range\"},\"id\":1}");
  }

  @Test
  void anyOtherExceptionIsAnInternalErrorWithItsMessage() {
    assertReply("{\"method\":\"fail\",\"id\":1}", 500,
        "{\"result\":null,\"error\":{\"code\":-32603,\"message\":\"boom\"},\"id\":1}");
    assertReply("{\"method\":\"failWithoutMessage\",\"id\":1}", 500, "{\"result\":null,\"error\":{\"code\":-32603,"
        + "\"message\":\"java.lang.UnsupportedOperationException\"},\"id\":1}");
    RpcReply unwritable = dispatch("{\"jsonrpc\":\"2.0\",\"method\":\"unwritable\",\"id\":1}");
    assertThat(unwritable.httpStatus()).isEqualTo(200);
    assertThat(json(unwritable).at("/error/code").asInt()).isEqualTo(RpcErrorCode.RPC_INTERNAL_ERROR);
  }

  @Test
  void unparsableBodyIsAParseErrorWithNullId() {
    String parseError = "{\"result\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}";
    assertReply("", 500, parseError);
    assertReply("this is bad", 500, parseError);
    assertReply("{\"method\":\"echo\"} trailing", 500, parseError);
    assertReply("{\"method\":", 500, parseError);
    assertReply("42", 500,
        "{\"result\":null,\"error\":{\"code\":-32700,\"message\":\"Top-level object parse error\"},\"id\":null}");
  }

  @Test
  void deeplyNestedJsonIsAParseErrorNotAStackOverflow() {
    int depth = 100_000;
    RpcReply reply = dispatch("[".repeat(depth) + "]".repeat(depth));
    assertThat(reply.httpStatus()).isEqualTo(500);
    assertThat(json(reply).at("/error/code").asInt()).isEqualTo(RpcErrorCode.RPC_PARSE_ERROR);
  }

  @Test
  void invalidRequestObjectIs400EvenInV2() {
    assertReply("{\"jsonrpc\":2,\"method\":\"echo\"}", 400,
        "{\"result\":null,\"error\":{\"code\":-32600,\"message\":\"jsonrpc field must be a string\"}}");
    assertReply("{\"jsonrpc\":\"3.0\",\"method\":\"echo\",\"id\":4}", 400,
        "{\"result\":null,\"error\":{\"code\":-32600,\"message\":\"JSON-RPC version not supported\"},\"id\":4}");
    assertReply("{\"jsonrpc\":\"2.0\",\"id\":4}", 400,
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Missing method\"},\"id\":4}");
    assertReply("{\"method\":5,\"id\":4}", 400,
        "{\"result\":null,\"error\":{\"code\":-32600,\"message\":\"Method must be a string\"},\"id\":4}");
    assertReply("{\"method\":\"echo\",\"params\":\"x\",\"id\":4}", 400,
        "{\"result\":null,\"error\":{\"code\":-32600,\"message\":\"Params must be an array or object\"},\"id\":4}");
  }

  @Test
  void v2NotificationRunsAndGets204EvenWhenItFails() {
    RpcReply reply = dispatch("{\"jsonrpc\":\"2.0\",\"method\":\"count\"}");
    assertThat(reply.httpStatus()).isEqualTo(204);
    assertThat(reply.body()).isEmpty();
    assertThat(counter).hasValue(1);
    assertThat(dispatch("{\"jsonrpc\":\"2.0\",\"method\":\"fail\"}").httpStatus()).isEqualTo(204);
    assertThat(dispatch("{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}").httpStatus()).isEqualTo(204);
  }

  @Test
  void batchAnswersEachElementInOrderWith200() {
    assertReply("[{\"jsonrpc\":\"2.0\",\"method\":\"count\",\"id\":1},"
            + "{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":2},"
            + "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[0],\"id\":3},"
            + "{\"jsonrpc\":\"2.0\",\"pizza\":\"sausage\",\"id\":4},"
            + "{\"method\":\"fail\",\"id\":5},"
            + "17]",
        200,
        "[{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1},"
            + "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":2},"
            + "{\"jsonrpc\":\"2.0\",\"result\":[0],\"id\":3},"
            + "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Missing method\"},\"id\":4},"
            + "{\"result\":null,\"error\":{\"code\":-32603,\"message\":\"boom\"},\"id\":5},"
            + "{\"result\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request object\"},\"id\":null}]");
  }

  @Test
  void batchLeavesNotificationsOut() {
    assertReply("[{\"jsonrpc\":\"2.0\",\"method\":\"count\"},{\"jsonrpc\":\"2.0\",\"method\":\"count\",\"id\":2},"
            + "{\"method\":\"count\"}]",
        200, "[{\"jsonrpc\":\"2.0\",\"result\":2,\"id\":2},{\"result\":3,\"error\":null}]");
    assertThat(counter).hasValue(3);
  }

  @Test
  void batchOfOnlyNotificationsIs204AndEmptyBatchIsAnEmptyArray() {
    RpcReply notifications = dispatch("[{\"jsonrpc\":\"2.0\",\"method\":\"count\"},{\"jsonrpc\":\"2.0\",\"method\":\"x\"}]");
    assertThat(notifications.httpStatus()).isEqualTo(204);
    assertThat(counter).hasValue(1);
    assertReply("[]", 200, "[]");
  }

  private void assertReply(String request, int status, String expectedJson) {
    RpcReply reply = dispatch(request);
    assertThat(reply.httpStatus()).as("HTTP status of %s", request).isEqualTo(status);
    assertThat(json(reply)).as("reply to %s", request).isEqualTo(parse(expectedJson));
    assertThat(reply.headers()).containsEntry("Content-Type", "application/json");
  }

  private String body(String request) {
    return new String(dispatch(request).body(), StandardCharsets.UTF_8);
  }

  private RpcReply dispatch(String request) {
    return dispatcher.dispatch(request.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(RpcReply reply) {
    return parse(new String(reply.body(), StandardCharsets.UTF_8));
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
