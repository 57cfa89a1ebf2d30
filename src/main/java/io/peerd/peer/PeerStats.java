package io.peerd.peer;

import io.peerd.wire.Commands;
import io.peerd.wire.FrameHeader;
import io.peerd.wire.Transaction;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What getpeerinfo shows of a peer's traffic. Every figure has one writer: the reader thread
 * (what was received, and what the remote's version, feefilter and addr messages said) or the
 * writer thread (what was sent); any thread reads.
 *
 * <p>Bytes are counted per command, frame header included as Bitcoin Core counts them, in one
 * array per direction indexed by {@link Commands}: about 600 bytes a peer, whatever it sends
 * (unknown commands share one slot). Totals are the arrays' sums, so they always agree. Each
 * frame is also added to the node's {@link PeerTotals}, which outlive the peer.
 */
public final class PeerStats {
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

  /** One direction's bytes: the total and each command's share, commands sorted as Core lists them. */
  public record Traffic(long totalBytes, Map<String, Long> bytesByCommand) {}

  private final PeerTotals totals;
  private final long connectedAtMillis = System.currentTimeMillis();
  private final long[] receivedBytes = new long[Commands.COUNT];
  private final long[] sentBytes = new long[Commands.COUNT];
  private volatile long lastReceivedNanos = System.nanoTime();
  private volatile long lastReceivedMillis;
  private volatile long lastSentMillis;
  private volatile long timeOffsetSeconds;
  private volatile long feeFilterSatoshisPerKb;
  private volatile long addressesProcessed;
  private volatile long addressesRateLimited;
  private volatile long lastNewBlockMillis;

  PeerStats(PeerTotals totals) {
    this.totals = totals;
  }

  /** The reader read a frame. */
  void received(String command, int frameBytes) {
    int index = Commands.indexOf(command);
    add(receivedBytes, index, frameBytes);
    totals.received(index, frameBytes);
    lastReceivedNanos = System.nanoTime();
    lastReceivedMillis = System.currentTimeMillis();
  }

  /** The writer wrote a frame. */
  void sent(byte[] frame) {
    int index = Commands.indexOf(FrameHeader.commandOf(frame));
    add(sentBytes, index, frame.length);
    totals.sent(index, frame.length);
    lastSentMillis = System.currentTimeMillis();
  }

  /** The remote's clock minus ours, as Core's timeoffset, from its version's timestamp. */
  void versionReceived(long remoteTimeSeconds) {
    timeOffsetSeconds = remoteTimeSeconds - System.currentTimeMillis() / 1000;
  }

  /** The peer delivered a block new to us (the sync manager's thread is the one writer). */
  void newBlockDelivered() {
    lastNewBlockMillis = System.currentTimeMillis();
  }

  /** When the peer last delivered a block new to us, 0 if never: Core's last_block. */
  public long lastNewBlockMillis() {
    return lastNewBlockMillis;
  }

  /** BIP133: the lowest fee rate of the transactions the remote wants announced. */
  void feeFilterReceived(long satoshisPerKb) {
    if (satoshisPerKb >= 0 && satoshisPerKb <= Transaction.MAX_MONEY_SATOSHIS) {
      feeFilterSatoshisPerKb = satoshisPerKb;
    }
  }

  /** Addresses from an addr or addrv2 message passed on to the server, and those the rate limit dropped. */
  void addressesReceived(int processed, int rateLimited) {
    addressesProcessed += processed;
    addressesRateLimited += rateLimited;
  }

  /**
   * Only the owning thread adds to a slot, so reading it plainly and adding cannot lose an
   * update; the release write keeps other threads from seeing a torn value.
   */
  private static void add(long[] counts, int index, long bytes) {
    COUNTS.setRelease(counts, index, (long) COUNTS.get(counts, index) + bytes);
  }

  private static Traffic traffic(long[] counts) {
    Map<String, Long> byCommand = new TreeMap<>();
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      long bytes = (long) COUNTS.getAcquire(counts, i);
      if (bytes > 0) {
        byCommand.put(Commands.name(i), bytes);
        total += bytes;
      }
    }
    return new Traffic(total, Collections.unmodifiableMap(byCommand));
  }

  public Traffic receivedTraffic() {
    return traffic(receivedBytes);
  }

  public Traffic sentTraffic() {
    return traffic(sentBytes);
  }

  public long connectedAtMillis() {
    return connectedAtMillis;
  }

  /** Monotonic time of the last message received (connection time before the first). */
  long lastReceivedNanos() {
    return lastReceivedNanos;
  }

  /** Wall-clock time of the last message received, 0 before the first. */
  public long lastReceivedMillis() {
    return lastReceivedMillis;
  }

  /** Wall-clock time of the last message sent, 0 before the first. */
  public long lastSentMillis() {
    return lastSentMillis;
  }

  /** 0 before the version arrived. */
  public long timeOffsetSeconds() {
    return timeOffsetSeconds;
  }

  /** 0 until the remote sent a valid feefilter. */
  public long feeFilterSatoshisPerKb() {
    return feeFilterSatoshisPerKb;
  }

  public long addressesProcessed() {
    return addressesProcessed;
  }

  public long addressesRateLimited() {
    return addressesRateLimited;
  }
}
