package io.peerd.peer;

import io.peerd.wire.Commands;
import java.util.concurrent.atomic.LongAdder;

/**
 * Node-wide traffic and connection outcomes over every peer since start, for metrics and getnettotals. Each peer's
 * reader and writer add here as they count their own {@link PeerStats}, so the totals never go
 * down when a peer leaves. {@link LongAdder}s: many peer threads add without a lock and without
 * contending on one word; any thread reads. Bounded: one slot per command ({@link Commands}) and
 * direction, one per {@link DisconnectReason} and stage.
 */
public final class PeerTotals {
  private final LongAdder[] receivedBytes = adders(Commands.COUNT);
  private final LongAdder[] receivedMessages = adders(Commands.COUNT);
  private final LongAdder[] sentBytes = adders(Commands.COUNT);
  private final LongAdder[] sentMessages = adders(Commands.COUNT);
  private final LongAdder handshakesCompleted = new LongAdder();
  private final LongAdder[] handshakesFailed = adders(DisconnectReason.values().length);
  private final LongAdder[] disconnects = adders(DisconnectReason.values().length);

  void received(int commandIndex, int frameBytes) {
    receivedBytes[commandIndex].add(frameBytes);
    receivedMessages[commandIndex].increment();
  }

  void sent(int commandIndex, int frameBytes) {
    sentBytes[commandIndex].add(frameBytes);
    sentMessages[commandIndex].increment();
  }

  void handshakeCompleted() {
    handshakesCompleted.increment();
  }

  /** A peer closed: before its handshake completed (a refused or failed handshake) or after. */
  void disconnected(DisconnectReason reason, boolean afterHandshake) {
    (afterHandshake ? disconnects : handshakesFailed)[reason.ordinal()].increment();
  }

  /** Frame bytes (header included) received with {@code Commands.name(commandIndex)}. */
  public long receivedBytes(int commandIndex) {
    return receivedBytes[commandIndex].sum();
  }

  public long receivedMessages(int commandIndex) {
    return receivedMessages[commandIndex].sum();
  }

  public long sentBytes(int commandIndex) {
    return sentBytes[commandIndex].sum();
  }

  public long sentMessages(int commandIndex) {
    return sentMessages[commandIndex].sum();
  }

  /** Every frame's bytes received, header included: getnettotals' totalbytesrecv. */
  public long receivedBytes() {
    return sum(receivedBytes);
  }

  /** Every frame's bytes sent, header included: getnettotals' totalbytessent. */
  public long sentBytes() {
    return sum(sentBytes);
  }

  public long handshakesCompleted() {
    return handshakesCompleted.sum();
  }

  /** Connections closed for {@code reason} before their handshake completed. */
  public long handshakesFailed(DisconnectReason reason) {
    return handshakesFailed[reason.ordinal()].sum();
  }

  /** Connections closed for {@code reason} after their handshake completed. */
  public long disconnects(DisconnectReason reason) {
    return disconnects[reason.ordinal()].sum();
  }

  private static long sum(LongAdder[] adders) {
    long total = 0;
    for (LongAdder adder : adders) {
      total += adder.sum();
    }
    return total;
  }

  private static LongAdder[] adders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
