package io.peerd.server;

import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused inbound connections, counted by reason and summarized at INFO at most once per
 * {@link #SUMMARY_PERIOD_MILLIS} ("refused 887 inbound in the last 60 s: inbound limit (880), ..."):
 * a flood of connections must not become a flood of log lines. Each refusal is logged at DEBUG.
 * The reasons are a fixed set ({@link InboundRefusal}), so the counts stay bounded; each refusal
 * is also counted in the server's {@link ServerCounters} for metrics.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class RefusalLog {
  /** The server's log: these are the server's decisions. */
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  static final long SUMMARY_PERIOD_MILLIS = 60_000;

  private final Map<InboundRefusal, Long> countsByReason = new EnumMap<>(InboundRefusal.class);
  private final ServerCounters counters;
  private long periodStartMillis;

  RefusalLog(long nowMillis, ServerCounters counters) {
    this.periodStartMillis = nowMillis;
    this.counters = counters;
  }

  void refused(InboundRefusal reason, InetAddress address) {
    log.debug("refusing inbound from {}: {}", address.getHostAddress(), reason);
    countsByReason.merge(reason, 1L, Long::sum);
    counters.countRefusal(reason);
  }

  /** On the server's tick: one summary line per period with refusals in it. */
  void summarizeIfDue(long nowMillis) {
    if (nowMillis - periodStartMillis < SUMMARY_PERIOD_MILLIS) {
      return;
    }
    if (!countsByReason.isEmpty()) {
      long refused = countsByReason.values().stream().mapToLong(Long::longValue).sum();
      log.info("refused {} inbound in the last {} s: {}", refused, (nowMillis - periodStartMillis) / 1000,
          countsByReason.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
              .collect(Collectors.joining(", ")));
      countsByReason.clear();
    }
    periodStartMillis = nowMillis;
  }
}
