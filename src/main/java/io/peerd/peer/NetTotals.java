package io.peerd.peer;

import java.util.concurrent.atomic.LongAdder;

/**
 * The node's traffic over all its connections since it started, closed ones included, as Core's
 * getnettotals counts it: every frame, header included. Each peer's {@link PeerStats} adds to it;
 * any thread reads. Two counters, whatever the number of peers.
 */
public final class NetTotals {
  private final LongAdder receivedBytes = new LongAdder();
  private final LongAdder sentBytes = new LongAdder();

  void received(int frameBytes) {
    receivedBytes.add(frameBytes);
  }

  void sent(int frameBytes) {
    sentBytes.add(frameBytes);
  }

  public long receivedBytes() {
    return receivedBytes.sum();
  }

  public long sentBytes() {
    return sentBytes.sum();
  }
}
