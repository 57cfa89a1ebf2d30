package io.peerd.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Typed reads of a method's {@code params}, positional (a JSON array, read at {@code position},
 * counted from 0) or named (a JSON object, read at {@code name}), failing the way bitcoind does:
 * a missing required parameter is {@link RpcErrorCode#RPC_INVALID_PARAMS}, a value of the wrong
 * JSON type is {@link RpcErrorCode#RPC_TYPE_ERROR} with Core's "Wrong type passed" message, an
 * unknown named parameter is {@link RpcErrorCode#RPC_INVALID_PARAMETER}. A JSON {@code null}
 * counts as absent, as in Core, so {@code [null, true]} skips the first optional parameter.
 */
public final class RpcParams {
  /** The named params' member holding positional ones, as Core's {@code args}. */
  public static final String POSITIONAL_MEMBER = "args";

  private RpcParams() {}

  /**
   * Refuses parameters the method does not take: more positional values than {@code names}, or
   * a named parameter not among them. {@code names} lists every parameter in position order.
   */
  public static void rejectUnknown(JsonNode params, String... names) {
    List<String> known = List.of(names);
    JsonNode positional = params.isObject() ? params.path(POSITIONAL_MEMBER) : params;
    if (positional.isArray() && positional.size() > known.size()) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMS, "Too many parameters: expected at most "
          + known.size() + " " + known + ", got " + positional.size());
    }
    for (Iterator<String> given = params.fieldNames(); given.hasNext(); ) {
      String name = given.next();
      if (!known.contains(name) && !name.equals(POSITIONAL_MEMBER)) {
        throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "Unknown named parameter " + name);
      }
    }
  }

  public static int requiredInt(JsonNode params, int position, String name) {
    return toInt(required(params, position, name), position, name);
  }

  public static int optionalInt(JsonNode params, int position, String name, int defaultValue) {
    JsonNode value = find(params, position, name);
    return value == null ? defaultValue : toInt(value, position, name);
  }

  /** An integer that may be absent (as Core's int64 parameters): empty then. */
  public static OptionalLong optionalLong(JsonNode params, int position, String name) {
    JsonNode value = find(params, position, name);
    return value == null ? OptionalLong.empty() : OptionalLong.of(toLong(value, position, name));
  }

  public static String requiredString(JsonNode params, int position, String name) {
    return toText(required(params, position, name), position, name);
  }

  public static String optionalString(JsonNode params, int position, String name, String defaultValue) {
    JsonNode value = find(params, position, name);
    return value == null ? defaultValue : toText(value, position, name);
  }

  public static boolean requiredBoolean(JsonNode params, int position, String name) {
    return toBoolean(required(params, position, name), position, name);
  }

  public static boolean optionalBoolean(JsonNode params, int position, String name, boolean defaultValue) {
    JsonNode value = find(params, position, name);
    return value == null ? defaultValue : toBoolean(value, position, name);
  }

  /** A JSON array parameter; an empty one when absent. */
  public static JsonNode optionalArray(JsonNode params, int position, String name) {
    JsonNode value = find(params, position, name);
    if (value == null) {
      return JsonNodeFactory.instance.arrayNode();
    }
    if (!value.isArray()) {
      throw wrongType(value, position, name, "array");
    }
    return value;
  }

  /**
   * The parameter's value, or null when it is absent or JSON null. Named params may carry
   * positional ones in an {@code args} array, as Core's (bitcoin-cli -named sends them so); a
   * parameter given both ways is refused with Core's message.
   */
  private static JsonNode find(JsonNode params, int position, String name) {
    if (position < 0) {
      throw new IllegalArgumentException("position must be >= 0: " + position);
    }
    if (!params.isObject()) {
      return present(params.get(position));
    }
    JsonNode named = present(params.get(name));
    JsonNode positional = present(params.path(POSITIONAL_MEMBER).get(position));
    if (named != null && positional != null) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER,
          "Parameter " + name + " specified twice both as positional and named argument");
    }
    return named != null ? named : positional;
  }

  private static JsonNode present(JsonNode value) {
    return value == null || value.isNull() ? null : value;
  }

  private static JsonNode required(JsonNode params, int position, String name) {
    JsonNode value = find(params, position, name);
    if (value == null) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMS,
          "Missing required parameter: Position " + (position + 1) + " (" + name + ")");
    }
    return value;
  }

  private static int toInt(JsonNode value, int position, String name) {
    long number = toLong(value, position, name);
    if (number != (int) number) {
      throw outOfRange();
    }
    return (int) number;
  }

  private static long toLong(JsonNode value, int position, String name) {
    if (!value.isNumber()) {
      throw wrongType(value, position, name, "number");
    }
    // Core's getInt refuses fractions and out-of-range values alike, 1.0 included.
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw outOfRange();
    }
    return value.longValue();
  }

  private static RpcException outOfRange() {
    return new RpcException(RpcErrorCode.RPC_TYPE_ERROR, "JSON integer out of range");
  }

  private static String toText(JsonNode value, int position, String name) {
    if (!value.isTextual()) {
      throw wrongType(value, position, name, "string");
    }
    return value.textValue();
  }

  private static boolean toBoolean(JsonNode value, int position, String name) {
    if (!value.isBoolean()) {
      throw wrongType(value, position, name, "bool");
    }
    return value.booleanValue();
  }

  /** Core's message for one mismatching argument, JSON type names as UniValue spells them. */
  private static RpcException wrongType(JsonNode value, int position, String name, String expected) {
    return new RpcException(RpcErrorCode.RPC_TYPE_ERROR, "Wrong type passed:\n{\n    \"Position "
        + (position + 1) + " (" + name + ")\": \"JSON value of type " + typeName(value)
        + " is not of expected type " + expected + "\"\n}");
  }

  private static String typeName(JsonNode value) {
    return switch (value.getNodeType()) {
      case BOOLEAN -> "bool";
      case NUMBER -> "number";
      case STRING, BINARY -> "string";
      case ARRAY -> "array";
      case OBJECT, POJO -> "object";
      case NULL, MISSING -> "null";
    };
  }
}
