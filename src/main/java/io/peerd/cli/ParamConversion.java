package io.peerd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.peerd.rpc.RpcJson;
import io.peerd.rpc.RpcParams;
import java.util.List;

/**
 * Turns command-line arguments into a request's {@code params} as bitcoin-cli does: an argument
 * is sent as a string unless Core's conversion table ({@code vRPCConvertParams} in Core's
 * {@code rpc/client.cpp}) lists the method's parameter, by position or by name, as JSON; then it
 * must be a JSON value ({@code 10}, {@code true}, {@code null}, {@code ["net"]}...). The table
 * here holds Core's entries for the methods peerd serves.
 *
 * <p>With {@code -named}, {@code name=value} arguments become an object's members, and arguments
 * without {@code =} go, in order, into its {@code args} member (positional), as in Core.
 */
final class ParamConversion {
  /** Core's entry: the method's parameter at {@code position}, called {@code name}, takes JSON. */
  private record JsonParam(String method, int position, String name) {}

  private static final List<JsonParam> JSON_PARAMS = List.of(
      new JsonParam("getblockhash", 0, "height"),
      new JsonParam("getblock", 1, "verbosity"),
      new JsonParam("getblock", 1, "verbose"),
      new JsonParam("getblockheader", 1, "verbose"),
      new JsonParam("generatetoaddress", 0, "nblocks"),
      new JsonParam("generatetoaddress", 2, "maxtries"),
      new JsonParam("setban", 2, "bantime"),
      new JsonParam("setban", 3, "absolute"),
      new JsonParam("disconnectnode", 1, "nodeid"),
      new JsonParam("addnode", 2, "v2transport"),
      new JsonParam("getnodeaddresses", 0, "count"),
      new JsonParam("addpeeraddress", 1, "port"),
      new JsonParam("addpeeraddress", 2, "tried"),
      new JsonParam("logging", 0, "include"),
      new JsonParam("logging", 1, "exclude"),
      new JsonParam("stop", 0, "wait"));

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String POSITIONAL_MEMBER = RpcParams.POSITIONAL_MEMBER;

  private ParamConversion() {}

  /** Positional params: a JSON array, one element per argument. */
  static ArrayNode positional(String method, List<String> args) {
    ArrayNode params = JSON.arrayNode();
    for (int i = 0; i < args.size(); i++) {
      params.add(convert(method, i, args.get(i)));
    }
    return params;
  }

  /** Named params ({@code -named}): {@code name=value} members, other arguments in {@code args}. */
  static ObjectNode named(String method, List<String> args) {
    ObjectNode params = JSON.objectNode();
    ArrayNode positional = JSON.arrayNode();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals < 0) {
        positional.add(convert(method, positional.size(), arg));
        continue;
      }
      String name = arg.substring(0, equals);
      if (params.has(name)) {
        throw new IllegalArgumentException("Parameter " + name + " specified multiple times");
      }
      params.set(name, convert(method, name, arg.substring(equals + 1)));
    }
    if (!positional.isEmpty()) {
      if (params.has(POSITIONAL_MEMBER)) {
        throw new IllegalArgumentException("Parameter args specified multiple times");
      }
      params.set(POSITIONAL_MEMBER, positional);
    }
    return params;
  }

  private static JsonNode convert(String method, int position, String value) {
    boolean json = JSON_PARAMS.stream().anyMatch(p -> p.method().equals(method) && p.position() == position);
    return json ? parse(value) : TextNode.valueOf(value);
  }

  private static JsonNode convert(String method, String name, String value) {
    boolean json = JSON_PARAMS.stream().anyMatch(p -> p.method().equals(method) && p.name().equals(name));
    return json ? parse(value) : TextNode.valueOf(value);
  }

  /** Any one JSON value, as Core's ParseNonRFCJSONValue; anything else is Core's error. */
  private static JsonNode parse(String value) {
    try {
      JsonNode node = RpcJson.MAPPER.readTree(value);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("Error parsing JSON: " + value);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Error parsing JSON: " + value);
    }
  }
}
