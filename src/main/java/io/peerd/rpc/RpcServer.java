package io.peerd.rpc;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON-RPC admin API over HTTP, compatible with bitcoind's: POST to any path, HTTP Basic
 * authentication (rpcuser/rpcpassword or a cookie file), JSON-RPC 1.x and 2.0, batches. Calls
 * run on a bounded pool ({@link RpcConfig#threadCount()} workers, {@link
 * RpcConfig#workQueueDepth()} waiting); the methods are fixed at construction.
 *
 * <p>Starts once and stops once; a second {@link #stop()} is a no-op, and a {@link #stop()} that
 * races {@link #start()} wins: the start then undoes itself and fails.
 */
public final class RpcServer {
  private static final Logger log = LoggerFactory.getLogger(RpcServer.class);
  /** How long stop() lets exchanges in progress finish before closing their connections. */
  private static final int STOP_GRACE_SECONDS = 1;
  /** How long stop() then waits for workers still inside a method before interrupting them. */
  private static final long WORKER_STOP_TIMEOUT_MILLIS = 2_000;
  /** Pending connections the OS may queue; 0 lets the JDK pick its default. */
  private static final int ACCEPT_BACKLOG = 0;

  private enum State { NEW, STARTING, RUNNING, STOPPED }

  /** A call in progress, as Core's getrpcinfo shows it. */
  public record ActiveCommand(String method, long durationMicros) {}

  private final RpcConfig config;
  private final Map<String, RpcMethod> methods;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile Running running;

  public RpcServer(RpcConfig config, Map<String, RpcMethod> methods) {
    this.config = Objects.requireNonNull(config, "config");
    this.methods = Map.copyOf(methods);
  }

  /**
   * Binds, then sets up authentication (writing the cookie file if configured so), then serves.
   *
   * @throws IOException if the port cannot be bound or the cookie cannot be written; nothing is
   *     left behind and the server cannot be started again
   */
  public void start() throws IOException {
    if (!state.compareAndSet(State.NEW, State.STARTING)) {
      throw new IllegalStateException("RPC server starts only once");
    }
    Running started;
    try {
      started = Running.start(config, methods);
    } catch (IOException | RuntimeException e) {
      state.set(State.STOPPED);
      throw e;
    }
    running = started;
    if (!state.compareAndSet(State.STARTING, State.RUNNING)) {
      started.stop();
      throw new IllegalStateException("RPC server stopped while starting");
    }
    log.info("RPC server listening on {}:{} ({} authentication)", config.bindHost(), started.port(),
        config.credentials().isPresent() ? "user/password" : "cookie");
  }

  /** The bound port, the ephemeral one when configured with 0. */
  public int port() {
    Running current = running;
    if (current == null) {
      throw new IllegalStateException("RPC server not started");
    }
    return current.port();
  }

  /** The calls running now (this one included when asked from a method); empty when not running. */
  public List<ActiveCommand> activeCommands() {
    Running current = running;
    return current == null ? List.of() : current.dispatcher().activeCommands();
  }

  /**
   * Closes the port, lets running exchanges finish for a bounded time, stops the workers and
   * deletes the cookie file. Returns within about {@code STOP_GRACE_SECONDS} plus
   * {@code WORKER_STOP_TIMEOUT_MILLIS}.
   */
  public void stop() {
    if (state.getAndSet(State.STOPPED) == State.RUNNING) {
      running.stop();
      log.info("RPC server stopped");
    }
  }

  /** What a started server holds; built whole or not at all. */
  private record Running(HttpServer http, RpcExecutor executor, RpcAuth auth, RpcDispatcher dispatcher) {

    static Running start(RpcConfig config, Map<String, RpcMethod> methods) throws IOException {
      // Bind before touching the cookie, so a second node on a taken port leaves the first's alone.
      InetSocketAddress address = new InetSocketAddress(config.bindHost(), config.port());
      HttpServer http = HttpServer.create(address, ACCEPT_BACKLOG);
      RpcAuth auth;
      try {
        auth = RpcAuth.open(config);
      } catch (IOException | RuntimeException e) {
        // A JDK HttpServer frees its socket only from its dispatcher thread: start it to stop it.
        http.start();
        http.stop(0);
        throw e;
      }
      RpcExecutor executor = new RpcExecutor(config.threadCount(), config.workQueueDepth());
      http.setExecutor(executor);
      RpcDispatcher dispatcher = new RpcDispatcher(methods);
      http.createContext("/", new RpcHttpHandler(auth, dispatcher, executor, config.maxBodyBytes()));
      http.start();
      return new Running(http, executor, auth, dispatcher);
    }

    int port() {
      return http.getAddress().getPort();
    }

    void stop() {
      http.stop(STOP_GRACE_SECONDS);
      executor.shutdown(WORKER_STOP_TIMEOUT_MILLIS);
      try {
        auth.close();
      } catch (UncheckedIOException e) {
        log.warn("RPC cookie file not deleted", e);
      }
    }
  }
}
