package io.peerd.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the registry in Prometheus text format on {@code GET /metrics}, with the JDK's HTTP
 * server. One thread ({@code peerd-metrics}) renders a scrape at a time, behind a queue of
 * {@link #QUEUE_DEPTH} exchanges; past that the JDK server closes the connection unanswered. A
 * scrape only reads what the node publishes, so it never waits on an actor. No authentication:
 * it listens on 127.0.0.1 unless the operator names another address.
 */
final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** Scrapes that may wait for the one thread: Prometheus scrapes one at a time per target. */
  static final int QUEUE_DEPTH = 8;
  /** How long close lets a scrape in progress finish. */
  private static final int STOP_GRACE_SECONDS = 1;
  private static final long THREAD_STOP_MILLIS = 2_000;

  private final HttpServer http;
  private final ThreadPoolExecutor executor;

  private MetricsServer(HttpServer http, ThreadPoolExecutor executor) {
    this.http = http;
    this.executor = executor;
  }

  /** Binds and serves; nothing is left open if binding fails. */
  static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry) throws IOException {
    HttpServer http = HttpServer.create(address, 0);
    ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE_DEPTH), Thread.ofPlatform().name("peerd-metrics").daemon().factory());
    http.setExecutor(executor);
    http.createContext("/", exchange -> serve(exchange, registry));
    http.start();
    return new MetricsServer(http, executor);
  }

  private static void serve(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        reply(exchange, 404, "Not found: metrics are at " + PATH + "\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        reply(exchange, 405, "Only GET\n");
      } else {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        reply(exchange, 200, registry.scrape());
      }
    } catch (RuntimeException e) { // the JDK server would only log it at TRACE
      log.warn("metrics scrape from {} failed", exchange.getRemoteAddress(), e);
      throw e;
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  InetSocketAddress address() {
    return http.getAddress();
  }

  /** Closes the port, lets a scrape in progress finish (bounded), then ends the thread. */
  @Override
  public void close() {
    http.stop(STOP_GRACE_SECONDS);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(THREAD_STOP_MILLIS, TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
