package io.peerd.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A JSON-RPC reply as the CLI reads it: the result's JSON text exactly as the server wrote it (so
 * numbers print unchanged) and the error object, null when the call succeeded.
 */
record RpcReplyText(String resultJson, JsonNode error) {
  /** A plain mapper: the error object is read from the middle of the reply. */
  private static final JsonFactory FACTORY = new ObjectMapper().getFactory();

  boolean failed() {
    return !error.isNull();
  }

  /** @throws IOException if the body is not a JSON object (Core: "couldn't parse reply from server") */
  static RpcReplyText parse(String body) throws IOException {
    String result = "null";
    JsonNode error = NullNode.getInstance();
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (name.equals("result")) {
          result = rawValue(parser, body);
        } else if (name.equals("error")) {
          error = parser.readValueAsTree();
        } else {
          parser.skipChildren();
        }
      }
    }
    return new RpcReplyText(result, error);
  }

  /** The current value's text in {@code body}, from its first character to its last. */
  private static String rawValue(JsonParser parser, String body) throws IOException {
    int start = (int) parser.currentTokenLocation().getCharOffset();
    parser.skipChildren();
    parser.finishToken(); // a string's end is read lazily: read it, so the location is past it
    int end = (int) parser.currentLocation().getCharOffset();
    return body.substring(start, end);
  }
}
