package io.peerd.peer;

import java.util.concurrent.atomic.AtomicLong;

/** Traffic counters for getpeerinfo; written by the reader and writer, read by anyone. */
public final class PeerStats {
  private final long connectedAtMillis = System.currentTimeMillis();
  private final AtomicLong bytesReceived = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private volatile long lastReceivedNanos = System.nanoTime();
  private volatile long lastReceivedMillis;
  private volatile long lastSentMillis;

  void received(int bytes) {
    bytesReceived.addAndGet(bytes);
    lastReceivedNanos = System.nanoTime();
    lastReceivedMillis = System.currentTimeMillis();
  }

  void sent(int bytes) {
    bytesSent.addAndGet(bytes);
    lastSentMillis = System.currentTimeMillis();
  }

  public long connectedAtMillis() {
    return connectedAtMillis;
  }

  public long bytesReceived() {
    return bytesReceived.get();
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  /** Monotonic time of the last message received (connection time before the first). */
  long lastReceivedNanos() {
    return lastReceivedNanos;
  }

  /** Wall-clock time of the last message received, 0 before the first. */
  public long lastReceivedMillis() {
    return lastReceivedMillis;
  }

  public long lastSentMillis() {
    return lastSentMillis;
  }
}
