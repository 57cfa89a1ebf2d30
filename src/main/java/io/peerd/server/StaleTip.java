package io.peerd.server;

import io.peerd.peer.ConnectionKind;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's stale-tip check: when the tip has not moved for three block intervals (30 minutes on
 * every network peerd knows), our full-relay peers may all be on a stalled or hidden chain, so one
 * extra full-relay outbound peer is allowed. Once the tip moves again, the extra peer goes: of the
 * full-relay outbound peers, the one that delivered a new block least recently (the youngest
 * connection on a tie), as Core's EvictExtraOutboundPeers.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class StaleTip {
  /** The server's log: these are the server's decisions. */
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  static final long STALE_AFTER_MILLIS = 30 * 60 * 1000;

  private long tipChangedAtMillis;
  private boolean reported;

  StaleTip(long nowMillis) {
    this.tipChangedAtMillis = nowMillis;
  }

  void tipChanged(long nowMillis) {
    tipChangedAtMillis = nowMillis;
    reported = false;
  }

  /** Full-relay outbound slots now: one more while the tip is stale. */
  int fullRelaySlots(int configured, long nowMillis) {
    if (nowMillis - tipChangedAtMillis < STALE_AFTER_MILLIS) {
      return configured;
    }
    if (!reported) {
      reported = true;
      log.info("tip unchanged for {} min: trying one more full-relay outbound peer",
          (nowMillis - tipChangedAtMillis) / 60_000);
    }
    return configured + 1;
  }

  /** The full-relay outbound peer to drop when more than {@code slots} are connected. */
  static Optional<Registry.Entry> extraPeer(List<Registry.Entry> entries, int slots) {
    List<Registry.Entry> fullRelay = entries.stream()
        .filter(e -> e.kind() == ConnectionKind.OUTBOUND_FULL && e.active()).toList();
    if (fullRelay.size() <= slots) {
      return Optional.empty();
    }
    return fullRelay.stream().min(Comparator.<Registry.Entry>comparingLong(e -> e.peer().lastNewBlockMillis())
        .thenComparing(Comparator.comparingLong(Registry.Entry::startedAtMillis).reversed()));
  }
}
