package io.peerd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.node.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/** JSON-RPC over HTTP to a peerd node on 127.0.0.1, as bitcoin-cli would call it. */
public final class NodeRpcClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final URI uri;
  private final Supplier<String> authorization;

  private NodeRpcClient(int port, Supplier<String> authorization) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/");
    this.authorization = authorization;
  }

  /** Authenticates with the cookie in {@code networkDirectory}, read afresh for every call. */
  public static NodeRpcClient withCookie(int port, Path networkDirectory) {
    return new NodeRpcClient(port, () -> basic(readCookie(networkDirectory)));
  }

  /** To a running node's RPC port, with its cookie. */
  public static NodeRpcClient of(Node node) {
    return withCookie(node.rpcPort(), node.config().networkDirectory());
  }

  public static NodeRpcClient withPassword(int port, String user, String password) {
    return new NodeRpcClient(port, () -> basic(user + ":" + password));
  }

  /** The {@code Authorization} header value for {@code user:password}. */
  public static String basic(String userColonPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  public static String readCookie(Path networkDirectory) {
    try {
      return Files.readString(networkDirectory.resolve(".cookie"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls {@code method} and returns its result; any HTTP or RPC error throws. */
  public JsonNode call(String method, Object... params) throws IOException, InterruptedException {
    return result(method, post(authorization.get(), method, params));
  }

  /** Calls {@code method} with named parameters, as {@code bitcoin-cli -named} does. */
  public JsonNode callNamed(String method, Map<String, ?> params) throws IOException, InterruptedException {
    return result(method, post(authorization.get(), method, JSON.valueToTree(params)));
  }

  /** Calls {@code method}, which must fail, and returns the error object (code and message). */
  public JsonNode error(String method, Object... params) throws IOException, InterruptedException {
    HttpResponse<String> response = post(authorization.get(), method, params);
    JsonNode error = JSON.readTree(response.body()).path("error");
    if (!error.isObject()) {
      throw new AssertionError(method + " should have failed: HTTP " + response.statusCode() + " " + response.body());
    }
    return error;
  }

  /** The response body as sent, to check how a value is written (e.g. an amount's decimals). */
  public String body(String method, Object... params) throws IOException, InterruptedException {
    return post(authorization.get(), method, params).body();
  }

  private static JsonNode result(String method, HttpResponse<String> response) throws IOException {
    JsonNode reply = JSON.readTree(response.body());
    JsonNode error = reply.get("error");
    if (response.statusCode() != 200 || (error != null && !error.isNull())) {
      throw new IOException(method + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return reply.get("result");
  }

  /** Sends one request with the given {@code Authorization} header (none when null). */
  public HttpResponse<String> post(String authorizationHeader, String method, Object... params)
      throws IOException, InterruptedException {
    return post(authorizationHeader, method, JSON.valueToTree(Arrays.asList(params)));
  }

  private HttpResponse<String> post(String authorizationHeader, String method, JsonNode params)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("jsonrpc", "1.0");
    body.put("id", 1);
    body.put("method", method);
    body.set("params", params);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (authorizationHeader != null) {
      request.header("Authorization", authorizationHeader);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
