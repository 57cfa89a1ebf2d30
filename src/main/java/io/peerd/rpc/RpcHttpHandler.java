package io.peerd.rpc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of every path, checked in bitcoind's order: work queue full (503), not a POST
 * (405), no or wrong credentials (401), body over the cap (413); then the JSON-RPC dispatch.
 * The body is read only once the caller has authenticated, and never past the cap.
 */
final class RpcHttpHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(RpcHttpHandler.class);

  private final RpcAuth auth;
  private final RpcDispatcher dispatcher;
  private final RpcExecutor executor;
  private final int maxBodyBytes;

  RpcHttpHandler(RpcAuth auth, RpcDispatcher dispatcher, RpcExecutor executor, int maxBodyBytes) {
    this.auth = auth;
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      write(exchange, reply(exchange));
    } catch (RuntimeException e) { // the JDK server would only log it at TRACE
      log.warn("RPC exchange from {} failed", exchange.getRemoteAddress(), e);
      throw e;
    }
  }

  private RpcReply reply(HttpExchange exchange) throws IOException {
    if (executor.isShedding()) {
      return RpcReply.text(RpcReply.SERVICE_UNAVAILABLE, "Work queue depth exceeded");
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      return RpcReply.text(RpcReply.BAD_METHOD, "JSONRPC server handles only POST requests");
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (!auth.isAuthorized(authorization)) {
      // Core also sleeps 250 ms on wrong credentials; here that would hold one of few workers.
      if (authorization != null) {
        log.warn("RPC: incorrect credentials from {}", exchange.getRemoteAddress());
      }
      return RpcReply.unauthorized();
    }
    byte[] body = exchange.getRequestBody().readNBytes(maxBodyBytes + 1);
    if (body.length > maxBodyBytes) {
      return RpcReply.text(RpcReply.PAYLOAD_TOO_LARGE, "Request body exceeds " + maxBodyBytes + " bytes");
    }
    return dispatcher.dispatch(body);
  }

  private static void write(HttpExchange exchange, RpcReply reply) throws IOException {
    reply.headers().forEach(exchange.getResponseHeaders()::set);
    boolean noBody = reply.body().length == 0;
    exchange.sendResponseHeaders(reply.httpStatus(), noBody ? -1 : reply.body().length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }
}
