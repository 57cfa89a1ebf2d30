package io.peerd.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real HTTP on 127.0.0.1: authentication, statuses, limits and lifecycle. */
class RpcServerTest {
  /** Bounds every wait in these tests; never reached when they pass. */
  private static final long WAIT_SECONDS = 30;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String GET_HEIGHT = "{\"method\":\"getheight\",\"params\":[],\"id\":1}";

  @TempDir Path dataDir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<RpcServer> servers = new ArrayList<>();

  private final Map<String, RpcMethod> methods = Map.of(
      "getheight", params -> 840_000,
      "add", params -> {
        RpcParams.rejectUnknown(params, "a", "b");
        return RpcParams.requiredInt(params, 0, "a") + RpcParams.optionalInt(params, 1, "b", 0);
      },
      "crash", params -> {
        throw new IllegalStateException("index out of sync");
      });

  @AfterEach
  void stopServers() {
    servers.forEach(RpcServer::stop);
  }

  @Test
  void requestsWithoutOrWithWrongCredentialsGet401AndAChallenge() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0));
    for (String authorization : new String[] {null, RpcAuthTest.basic("__cookie__:00"), "Basic ???"}) {
      HttpResponse<String> response = post(server, GET_HEIGHT, authorization);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"jsonrpc\"");
      assertThat(response.body()).isEmpty();
    }
  }

  @Test
  void cookieIsWrittenAtStartAcceptedAndDeletedAtStop() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0));
    Path cookieFile = dataDir.resolve(".cookie");
    assertThat(Files.readString(cookieFile)).startsWith("__cookie__:");
    HttpResponse<String> response = post(server, GET_HEIGHT, cookieAuth());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"result\":840000,\"error\":null,\"id\":1}\n");
    server.stop();
    assertThat(cookieFile).doesNotExist();
  }

  @Test
  void userAndPasswordFromConfigAreAcceptedAndNoCookieIsWritten() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0).withCredentials("alice", "correct horse"));
    assertThat(dataDir.resolve(".cookie")).doesNotExist();
    assertThat(post(server, GET_HEIGHT, RpcAuthTest.basic("alice:correct horse")).statusCode()).isEqualTo(200);
    assertThat(post(server, GET_HEIGHT, RpcAuthTest.basic("alice:wrong")).statusCode()).isEqualTo(401);
  }

  @Test
  void registeredMethodAnswersLegacyAndV2CallsOnAnyPath() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0));
    HttpResponse<String> legacy = post(server, "{\"method\":\"add\",\"params\":[2,3],\"id\":\"a\"}", cookieAuth());
    assertThat(legacy.statusCode()).isEqualTo(200);
    assertThat(json(legacy)).isEqualTo(json("{\"result\":5,\"error\":null,\"id\":\"a\"}"));
    HttpResponse<String> v2 = send(server, "/wallet/x",
        "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"a\":4},\"id\":2}", cookieAuth());
    assertThat(v2.statusCode()).isEqualTo(200);
    assertThat(json(v2)).isEqualTo(json("{\"jsonrpc\":\"2.0\",\"result\":4,\"id\":2}"));
  }

  @Test
  void batchGetsOneReplyPerRequest() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0));
    HttpResponse<String> response = post(server, "[{\"jsonrpc\":\"2.0\",\"method\":\"getheight\",\"id\":1},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,\"x\"],\"id\":2}]", cookieAuth());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get(0)).isEqualTo(json("{\"jsonrpc\":\"2.0\",\"result\":840000,\"id\":1}"));
    assertThat(json(response).at("/1/error/code").asInt()).isEqualTo(RpcErrorCode.RPC_TYPE_ERROR);
  }

  @Test
  void errorsCarryCoreCodesAndLegacyHttpStatuses() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0));
    assertError(post(server, "{\"method\":\"nope\",\"id\":1}", cookieAuth()), 404, RpcErrorCode.RPC_METHOD_NOT_FOUND);
    assertError(post(server, "{\"method\":", cookieAuth()), 500, RpcErrorCode.RPC_PARSE_ERROR);
    assertError(post(server, "{\"method\":\"add\",\"id\":1}", cookieAuth()), 500, RpcErrorCode.RPC_INVALID_PARAMS);
    assertError(post(server, "{\"method\":\"add\",\"params\":[1,2,3],\"id\":1}", cookieAuth()), 500,
        RpcErrorCode.RPC_INVALID_PARAMS);
    assertError(post(server, "{\"method\":\"add\",\"params\":[true],\"id\":1}", cookieAuth()), 500,
        RpcErrorCode.RPC_TYPE_ERROR);
    assertError(post(server, "{\"method\":\"crash\",\"id\":1}", cookieAuth()), 500, RpcErrorCode.RPC_INTERNAL_ERROR);
    assertError(post(server, "{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":1}", cookieAuth()), 200,
        RpcErrorCode.RPC_METHOD_NOT_FOUND);
  }

  @Test
  void serverKeepsServingAfterAMethodThrows() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0).withThreads(1, 1));
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> crash = post(server, "{\"method\":\"crash\",\"id\":1}", cookieAuth());
      assertThat(json(crash).at("/error/message").asText()).isEqualTo("index out of sync");
      assertThat(post(server, GET_HEIGHT, cookieAuth()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void v2NotificationGets204() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0));
    HttpResponse<String> response = post(server, "{\"jsonrpc\":\"2.0\",\"method\":\"getheight\"}", cookieAuth());
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void bodyOverTheCapGets413() throws Exception {
    int maxBodyBytes = 4096;
    RpcServer server = start(RpcConfig.local(dataDir, 0).withMaxBodyBytes(maxBodyBytes));
    String padded = "{\"method\":\"getheight\",\"id\":\"" + "x".repeat(maxBodyBytes) + "\"}";
    assertThat(post(server, padded, cookieAuth()).statusCode()).isEqualTo(413);
    String fits = "{\"method\":\"getheight\",\"id\":\"" + "x".repeat(maxBodyBytes - 40) + "\"}";
    assertThat(post(server, fits, cookieAuth()).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyPostIsServed() throws Exception {
    RpcServer server = start(RpcConfig.local(dataDir, 0));
    HttpRequest get = HttpRequest.newBuilder(uri(server, "/")).GET().build();
    HttpResponse<String> response = client.send(get, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.body()).isEqualTo("JSONRPC server handles only POST requests");
  }

  @Test
  void fullWorkQueueAnswers503AndQueuedCallsStillRun() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Map<String, RpcMethod> blocking = Map.of("block", params -> {
      entered.countDown();
      return awaitQuietly(release);
    }, "getheight", params -> 1);
    RpcServer server = start(RpcConfig.local(dataDir, 0).withThreads(1, 1), blocking);
    CompletableFuture<HttpResponse<String>> busy = postAsync(server, "{\"method\":\"block\",\"id\":1}");
    assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    // One worker is busy and the queue holds one: of two more calls, one waits and one is shed.
    CompletableFuture<HttpResponse<String>> second = postAsync(server, GET_HEIGHT);
    CompletableFuture<HttpResponse<String>> third = postAsync(server, GET_HEIGHT);
    HttpResponse<?> shed = (HttpResponse<?>) CompletableFuture.anyOf(second, third).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(shed.statusCode()).isEqualTo(503);
    assertThat(shed.body()).isEqualTo("Work queue depth exceeded");
    release.countDown();
    assertThat(busy.get(WAIT_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(List.of(second.get(WAIT_SECONDS, TimeUnit.SECONDS).statusCode(),
        third.get(WAIT_SECONDS, TimeUnit.SECONDS).statusCode())).containsExactlyInAnyOrder(200, 503);
  }

  @Test
  void activeCommandsListTheCallsRunningNowAndForgetThemWhenTheyEnd() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Map<String, RpcMethod> blocking = Map.of("block", params -> {
      entered.countDown();
      return awaitQuietly(release);
    }, "crash", methods.get("crash"));
    RpcServer server = start(RpcConfig.local(dataDir, 0), blocking);
    assertThat(server.activeCommands()).isEmpty();
    CompletableFuture<HttpResponse<String>> busy = postAsync(server, "{\"method\":\"block\",\"id\":1}");
    assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    assertThat(server.activeCommands()).extracting(RpcServer.ActiveCommand::method).containsExactly("block");
    assertThat(server.activeCommands().get(0).durationMicros()).isNotNegative();

    release.countDown();
    assertThat(busy.get(WAIT_SECONDS, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(post(server, "{\"method\":\"crash\",\"id\":1}", cookieAuth()).statusCode()).isEqualTo(500);
    assertThat(server.activeCommands()).as("ended, returned or thrown").isEmpty();
  }

  @Test
  void stopReleasesThePortForANewServer() throws Exception {
    RpcServer first = start(RpcConfig.local(dataDir, 0));
    int port = first.port();
    first.stop();
    first.stop();
    RpcServer second = start(RpcConfig.local(dataDir, port));
    assertThat(second.port()).isEqualTo(port);
    assertThat(post(second, GET_HEIGHT, cookieAuth()).statusCode()).isEqualTo(200);
  }

  @Test
  void secondServerOnATakenPortFailsAndLeavesTheFirstsCookieAlone() throws Exception {
    RpcServer first = start(RpcConfig.local(dataDir, 0));
    String cookie = Files.readString(dataDir.resolve(".cookie"));
    RpcServer second = new RpcServer(RpcConfig.local(dataDir, first.port()), methods);
    assertThatThrownBy(second::start).isInstanceOf(BindException.class);
    assertThat(Files.readString(dataDir.resolve(".cookie"))).isEqualTo(cookie);
    assertThat(post(first, GET_HEIGHT, cookieAuth()).statusCode()).isEqualTo(200);
    assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void startThatCannotWriteTheCookieReleasesThePort() throws Exception {
    int port = TestNodes.freePort();
    RpcServer broken = new RpcServer(RpcConfig.local(dataDir.resolve("missing"), port), methods);
    assertThatThrownBy(broken::start).isInstanceOf(IOException.class);
    RpcServer working = start(RpcConfig.local(dataDir, port));
    assertThat(post(working, GET_HEIGHT, cookieAuth()).statusCode()).isEqualTo(200);
  }

  private RpcServer start(RpcConfig config) throws IOException {
    return start(config, methods);
  }

  private RpcServer start(RpcConfig config, Map<String, RpcMethod> serverMethods) throws IOException {
    RpcServer server = new RpcServer(config, serverMethods);
    servers.add(server);
    server.start();
    return server;
  }

  private String cookieAuth() throws IOException {
    return RpcAuthTest.basic(Files.readString(dataDir.resolve(".cookie")));
  }

  private HttpResponse<String> post(RpcServer server, String body, String authorization) throws Exception {
    return send(server, "/", body, authorization);
  }

  private HttpResponse<String> send(RpcServer server, String path, String body, String authorization)
      throws Exception {
    return client.send(request(server, path, body, authorization), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> postAsync(RpcServer server, String body) throws IOException {
    return client.sendAsync(request(server, "/", body, cookieAuth()), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(RpcServer server, String path, String body, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(server, path))
        .timeout(Duration.ofSeconds(WAIT_SECONDS))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  private static URI uri(RpcServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static void assertError(HttpResponse<String> response, int httpStatus, int rpcCode) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(httpStatus);
    assertThat(json(response).at("/error/code").asInt()).as(response.body()).isEqualTo(rpcCode);
  }

  private static String awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(WAIT_SECONDS, TimeUnit.SECONDS) ? "released" : "timed out";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return MAPPER.readTree(response.body());
  }

  private static JsonNode json(String text) throws IOException {
    return MAPPER.readTree(text);
  }
}
