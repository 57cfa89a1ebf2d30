package io.peerd.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

/** JSON-RPC over HTTP to one bcoin node, with basic auth. */
final class BcoinRpc {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** HTTP/1.1 only: bcoin's server never answers the HTTP/2 upgrade request the JDK sends by default. */
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(CONNECT_TIMEOUT)
      .build();

  private final URI uri;
  private final String authorization;
  private final Duration callTimeout;

  BcoinRpc(int httpPort, String apiKey, Duration callTimeout) {
    this.uri = URI.create("http://127.0.0.1:" + httpPort + "/");
    this.callTimeout = callTimeout;
    // bcoin ignores the user name and checks the password against its api key.
    String credentials = "x:" + apiKey;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }

  /** Calls {@code method}; params are converted to JSON by Jackson. Returns the result member. */
  JsonNode call(String method, Object... params) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(callTimeout)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(requestBody(method, params)))
        .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    return result(method, response);
  }

  private static String requestBody(String method, Object[] params) throws JsonProcessingException {
    ObjectNode body = JSON.createObjectNode();
    body.put("method", method);
    body.set("params", JSON.valueToTree(Arrays.asList(params)));
    body.put("id", 1);
    return JSON.writeValueAsString(body);
  }

  private static JsonNode result(String method, HttpResponse<String> response) {
    JsonNode reply = parse(response.body());
    JsonNode error = reply == null ? null : reply.get("error");
    if (error != null && !error.isNull()) {
      throw new BcoinRpcException(method, error.path("code").asInt(response.statusCode()),
          error.path("message").asText(error.toString()));
    }
    if (reply == null || response.statusCode() != 200 || !reply.has("result")) {
      throw new BcoinRpcException(method, response.statusCode(), "unexpected reply: " + response.body());
    }
    return reply.get("result");
  }

  /** Returns null for a body that is not JSON (bcoin answers a bad api key with plain text). */
  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
