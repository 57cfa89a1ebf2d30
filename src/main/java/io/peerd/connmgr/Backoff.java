package io.peerd.connmgr;

/**
 * Reconnect delays as pure functions, so a table can check them. The base delay starts at
 * {@code initialMillis} after the first failure and doubles up to {@code maxMillis}; each wait
 * adds +/- {@code jitterFraction} so that peers that failed together do not retry together; a
 * connection that lived at least {@code stableMillis} resets the base.
 */
public record Backoff(long initialMillis, long maxMillis, double jitterFraction, long stableMillis) {
  public Backoff {
    if (initialMillis <= 0 || maxMillis < initialMillis || jitterFraction < 0 || jitterFraction >= 1) {
      throw new IllegalArgumentException("need 0 < initial <= max and 0 <= jitter < 1");
    }
  }

  /** 1 s doubling to 10 min, 5 % jitter, reset after 10 minutes connected. */
  public static Backoff defaults() {
    return new Backoff(1_000, 10 * 60_000, 0.05, 10 * 60_000);
  }

  /** The base delay after one more failure; {@code currentMillis} 0 means no failure yet. */
  public long nextBaseMillis(long currentMillis) {
    return currentMillis == 0 ? initialMillis : Math.min(maxMillis, currentMillis * 2);
  }

  /** The base delay to continue from after a connection that lasted {@code lifetimeMillis}. */
  public long afterConnection(long currentMillis, long lifetimeMillis) {
    return lifetimeMillis >= stableMillis ? 0 : currentMillis;
  }

  /** {@code baseMillis} moved by up to the jitter fraction; {@code unitRandom} lies in [0, 1). */
  public long withJitter(long baseMillis, double unitRandom) {
    if (unitRandom < 0 || unitRandom >= 1) {
      throw new IllegalArgumentException("unitRandom must lie in [0, 1): " + unitRandom);
    }
    return Math.round(baseMillis * (1 + jitterFraction * (2 * unitRandom - 1)));
  }
}
