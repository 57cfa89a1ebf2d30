package io.peerd.connmgr;

/**
 * @param staggerMillis wait between the addresses of one round (default 2 s)
 * @param connectTimeoutMillis TCP connect timeout; the handshake deadline is the peer's (default 10 s)
 */
public record WorkerConfig(Backoff backoff, long staggerMillis, int connectTimeoutMillis) {
  public static WorkerConfig defaults() {
    return new WorkerConfig(Backoff.defaults(), 2_000, 10_000);
  }
}
