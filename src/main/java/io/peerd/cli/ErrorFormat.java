package io.peerd.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** How bitcoin-cli reports a call's error object, and the exit code it gives it. */
final class ErrorFormat {
  private ErrorFormat() {}

  /**
   * {@code error code: N} and {@code error message:} with the message on the next line, each part
   * only when the object has it; an error that is not an object is printed whole.
   */
  static String format(JsonNode error) {
    if (!error.isObject()) {
      return "error: " + error;
    }
    StringBuilder text = new StringBuilder();
    JsonNode code = error.path("code");
    if (!code.isMissingNode() && !code.isNull()) {
      text.append("error code: ").append(code.isTextual() ? code.textValue() : code.toString()).append('\n');
    }
    JsonNode message = error.path("message");
    if (message.isTextual()) {
      text.append("error message:\n").append(message.textValue());
    }
    return text.toString();
  }

  /** bitcoin-cli's {@code abs(code)}; 1 when there is no numeric code. */
  static int exitCode(JsonNode error) {
    JsonNode code = error.path("code");
    return code.canConvertToInt() && code.isIntegralNumber() ? Math.abs(code.intValue()) : Cli.EXIT_FAILURE;
  }
}
