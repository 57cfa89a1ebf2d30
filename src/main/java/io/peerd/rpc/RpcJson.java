package io.peerd.rpc;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** How the RPC server and client read and write JSON. */
public final class RpcJson {
  /**
   * Exact decimals in and out (amounts must not pass through a double), and trailing garbage
   * after the JSON value is a parse error, as in Core. Jackson's default read constraints bound
   * nesting depth and number length; the server's body cap bounds the rest. Thread-safe.
   */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  private RpcJson() {}
}
