package io.peerd.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The server's decisions counted since start, for metrics: inbound refusals by reason, bans and
 * discouragements. The server thread is the one writer; any thread reads. Bounded: one slot per
 * {@link InboundRefusal}.
 */
public final class ServerCounters {
  private final AtomicLongArray inboundRefused = new AtomicLongArray(InboundRefusal.values().length);
  private final AtomicLong bans = new AtomicLong();
  private final AtomicLong discouragements = new AtomicLong();

  void countRefusal(InboundRefusal reason) {
    inboundRefused.incrementAndGet(reason.ordinal());
  }

  void banned() {
    bans.incrementAndGet();
  }

  void discouraged() {
    discouragements.incrementAndGet();
  }

  public long inboundRefused(InboundRefusal reason) {
    return inboundRefused.get(reason.ordinal());
  }

  /** Subnets banned by the operator (RPC setban add), each time accepted. */
  public long bans() {
    return bans.get();
  }

  /** Addresses discouraged for misbehaving. */
  public long discouragements() {
    return discouragements.get();
  }
}
