package io.peerd.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RpcParamsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void readsPositionalAndNamedParams() throws Exception {
    assertThat(RpcParams.requiredInt(json("[7, \"x\", true]"), 0, "height")).isEqualTo(7);
    assertThat(RpcParams.requiredString(json("[7, \"x\", true]"), 1, "label")).isEqualTo("x");
    assertThat(RpcParams.requiredBoolean(json("[7, \"x\", true]"), 2, "verbose")).isTrue();
    assertThat(RpcParams.requiredInt(json("{\"height\": 9}"), 0, "height")).isEqualTo(9);
  }

  @Test
  void namedParamsMayCarryPositionalOnesInArgsAsCore() throws Exception {
    JsonNode params = json("{\"verbosity\": 2, \"args\": [\"00ff\"]}");
    RpcParams.rejectUnknown(params, "blockhash", "verbosity");
    assertThat(RpcParams.requiredString(params, 0, "blockhash")).isEqualTo("00ff");
    assertThat(RpcParams.optionalInt(params, 1, "verbosity", 1)).isEqualTo(2);
    assertRpcError(() -> RpcParams.requiredString(json("{\"blockhash\": \"aa\", \"args\": [\"bb\"]}"), 0,
        "blockhash"), RpcErrorCode.RPC_INVALID_PARAMETER,
        "Parameter blockhash specified twice both as positional and named argument");
    assertRpcError(() -> RpcParams.rejectUnknown(json("{\"args\": [1, 2, 3]}"), "a", "b"),
        RpcErrorCode.RPC_INVALID_PARAMS, "Too many parameters: expected at most 2 [a, b], got 3");
  }

  @Test
  void anOptionalArrayIsEmptyWhenAbsentAndMustBeAnArray() throws Exception {
    assertThat(RpcParams.optionalArray(json("[]"), 0, "include")).isEmpty();
    assertThat(RpcParams.optionalArray(json("[[\"net\"]]"), 0, "include").toString()).isEqualTo("[\"net\"]");
    assertRpcError(() -> RpcParams.optionalArray(json("[\"net\"]"), 0, "include"), RpcErrorCode.RPC_TYPE_ERROR,
        "Wrong type passed:\n{\n    \"Position 1 (include)\": \"JSON value of type string is not of expected type array\"\n}");
  }

  @Test
  void optionalParamsTakeTheirDefaultWhenAbsentOrNull() throws Exception {
    assertThat(RpcParams.optionalInt(json("[]"), 0, "count", 5)).isEqualTo(5);
    assertThat(RpcParams.optionalBoolean(json("[null, true]"), 0, "verbose", false)).isFalse();
    assertThat(RpcParams.optionalString(json("{}"), 0, "label", "none")).isEqualTo("none");
    assertThat(RpcParams.optionalInt(json("[3]"), 0, "count", 5)).isEqualTo(3);
  }

  @Test
  void missingRequiredParamIsInvalidParams() {
    assertRpcError(() -> RpcParams.requiredInt(json("[]"), 0, "height"),
        RpcErrorCode.RPC_INVALID_PARAMS, "Missing required parameter: Position 1 (height)");
    assertRpcError(() -> RpcParams.requiredString(json("[null]"), 0, "label"),
        RpcErrorCode.RPC_INVALID_PARAMS, "Missing required parameter: Position 1 (label)");
  }

  @Test
  void wrongJsonTypeIsCoresTypeError() {
    assertRpcError(() -> RpcParams.requiredInt(json("[1, \"ten\"]"), 1, "count"), RpcErrorCode.RPC_TYPE_ERROR,
        "Wrong type passed:\n{\n    \"Position 2 (count)\": \"JSON value of type string is not of expected type number\"\n}");
    assertRpcError(() -> RpcParams.requiredBoolean(json("[1]"), 0, "verbose"), RpcErrorCode.RPC_TYPE_ERROR,
        "Wrong type passed:\n{\n    \"Position 1 (verbose)\": \"JSON value of type number is not of expected type bool\"\n}");
    assertRpcError(() -> RpcParams.optionalString(json("[{}]"), 0, "label", ""), RpcErrorCode.RPC_TYPE_ERROR,
        "Wrong type passed:\n{\n    \"Position 1 (label)\": \"JSON value of type object is not of expected type string\"\n}");
  }

  @Test
  void fractionsAndOutOfRangeNumbersAreNotInts() {
    for (String params : new String[] {"[1.5]", "[1.0]", "[2147483648]", "[-2147483649]"}) {
      assertRpcError(() -> RpcParams.requiredInt(json(params), 0, "height"), RpcErrorCode.RPC_TYPE_ERROR,
          "JSON integer out of range");
    }
    assertThat(RpcParams.requiredInt(json("[-2147483648]"), 0, "height")).isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void anOptionalLongIsEmptyWhenAbsentAndCheckedLikeAnInt() {
    assertThat(RpcParams.optionalLong(json("[\"\"]"), 1, "nodeid")).isEmpty();
    assertThat(RpcParams.optionalLong(json("[\"\", null]"), 1, "nodeid")).isEmpty();
    assertThat(RpcParams.optionalLong(json("{\"nodeid\": 4294967296}"), 1, "nodeid")).hasValue(1L << 32);
    assertRpcError(() -> RpcParams.optionalLong(json("[\"\", 1.5]"), 1, "nodeid"), RpcErrorCode.RPC_TYPE_ERROR,
        "JSON integer out of range");
    assertRpcError(() -> RpcParams.optionalLong(json("[\"\", \"7\"]"), 1, "nodeid"), RpcErrorCode.RPC_TYPE_ERROR,
        "Wrong type passed:\n{\n    \"Position 2 (nodeid)\": \"JSON value of type string is not of expected type number\"\n}");
  }

  @Test
  void rejectsExtraPositionalAndUnknownNamedParams() {
    RpcParams.rejectUnknown(json("[1, true]"), "height", "verbose");
    RpcParams.rejectUnknown(json("{\"verbose\": true}"), "height", "verbose");
    assertRpcError(() -> RpcParams.rejectUnknown(json("[1, true, 3]"), "height", "verbose"),
        RpcErrorCode.RPC_INVALID_PARAMS, "Too many parameters: expected at most 2 [height, verbose], got 3");
    assertRpcError(() -> RpcParams.rejectUnknown(json("{\"hieght\": 1}"), "height", "verbose"),
        RpcErrorCode.RPC_INVALID_PARAMETER, "Unknown named parameter hieght");
  }

  private static void assertRpcError(Runnable read, int code, String message) {
    assertThatThrownBy(read::run).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
