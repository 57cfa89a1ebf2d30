package io.peerd.node;

import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.server.RequestRefused;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An RPC method's bounded wait for an actor's reply, and the RPC error a failed reply becomes. */
final class ActorReplies {
  /** The wait for a request that does a bounded amount of work. */
  static final long REQUEST_TIMEOUT_MILLIS = 10_000;

  private ActorReplies() {}

  /** The reply; a refusal becomes its Core error, any other failure, a timeout or an interrupt RPC_MISC_ERROR. */
  static <T> T await(CompletableFuture<T> reply, long timeoutMillis) {
    try {
      return reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RequestRefused refused) {
        throw rpcError(refused);
      }
      throw new RpcException(RpcErrorCode.RPC_MISC_ERROR, String.valueOf(e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw new RpcException(RpcErrorCode.RPC_MISC_ERROR, "no answer within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcErrorCode.RPC_MISC_ERROR, "interrupted");
    }
  }

  static RpcException rpcError(RequestRefused refused) {
    return new RpcException(refused.code(), refused.getMessage());
  }
}
