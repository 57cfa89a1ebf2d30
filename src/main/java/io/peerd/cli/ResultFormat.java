package io.peerd.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Prints a result as bitcoin-cli does: a string bare, JSON null as nothing at all, anything else
 * as UniValue's {@code write(2)} (two-space indent, {@code "key": value}, an empty array as
 * {@code [\n]}). Numbers are printed exactly as the server wrote them, never re-rendered.
 */
final class ResultFormat {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int INDENT = 2;

  private ResultFormat() {}

  /**
   * What bitcoin-cli prints for a result given as JSON text: empty for null (no line at all),
   * otherwise the text without its final newline.
   */
  static String format(String resultJson) {
    try (JsonParser parser = FACTORY.createParser(resultJson)) {
      JsonToken token = parser.nextToken();
      if (token == null || token == JsonToken.VALUE_NULL) {
        return "";
      }
      if (token == JsonToken.VALUE_STRING) {
        return parser.getText();
      }
      StringBuilder out = new StringBuilder();
      write(parser, out, 1);
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("the reply's JSON was parsed once already", e);
    }
  }

  /** Writes the value at the parser's current token, as UniValue writes at {@code level}. */
  private static void write(JsonParser parser, StringBuilder out, int level) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT -> writeContainer(parser, out, level, '{', '}', JsonToken.END_OBJECT);
      case START_ARRAY -> writeContainer(parser, out, level, '[', ']', JsonToken.END_ARRAY);
      case VALUE_STRING -> quote(parser.getText(), out);
      default -> out.append(parser.getText()); // numbers as sent, true, false, null
    }
  }

  private static void writeContainer(JsonParser parser, StringBuilder out, int level, char open, char close,
      JsonToken end) throws IOException {
    out.append(open).append('\n');
    boolean first = true;
    for (JsonToken token = parser.nextToken(); token != end; token = parser.nextToken()) {
      if (!first) {
        out.append(",\n");
      }
      first = false;
      out.repeat(' ', level * INDENT);
      if (token == JsonToken.FIELD_NAME) {
        quote(parser.currentName(), out);
        out.append(": ");
        parser.nextToken();
      }
      write(parser, out, level + 1);
    }
    if (!first) {
      out.append('\n');
    }
    out.repeat(' ', (level - 1) * INDENT).append(close);
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, out);
    out.append('"');
  }
}
