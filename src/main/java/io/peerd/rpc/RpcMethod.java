package io.peerd.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One RPC method, registered by name with {@link RpcServer}. It runs on one of the server's
 * worker threads; a method that needs an actor's state asks that actor with a bounded wait.
 */
@FunctionalInterface
public interface RpcMethod {
  /**
   * Runs the call.
   *
   * @param params the request's {@code params}: a JSON array (positional) or object (named); an
   *     empty array when the request had none. Read it with {@link RpcParams}.
   * @return the result, serialized with Jackson ({@code JsonNode}, strings, numbers, maps,
   *     records...); {@code null} becomes JSON {@code null}
   * @throws RpcException to refuse the call with a Core error code
   */
  Object call(JsonNode params) throws RpcException;
}
