package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.peerd.testing.LogGate;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A flood of refused connections is one INFO line a minute, never one line each. */
class RefusalLogTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final ServerCounters counters = new ServerCounters();

  @Test
  void refusalsAreSummarizedOncePerPeriodByReason() throws Exception {
    try (LogGate log = LogGate.record(Server.class)) {
      RefusalLog refusals = new RefusalLog(0, counters);
      for (int i = 0; i < 887; i++) {
        refusals.refused(InboundRefusal.NOBODY_TO_EVICT, LOOPBACK);
      }
      refusals.refused(InboundRefusal.DISCOURAGED, LOOPBACK);

      refusals.summarizeIfDue(RefusalLog.SUMMARY_PERIOD_MILLIS - 1);
      assertThat(log.messages(Level.INFO)).isEmpty();
      refusals.summarizeIfDue(RefusalLog.SUMMARY_PERIOD_MILLIS);
      refusals.summarizeIfDue(2 * RefusalLog.SUMMARY_PERIOD_MILLIS); // a quiet period: no line

      assertThat(log.messages(Level.INFO)).containsExactly("refused 888 inbound in the last 60 s: "
          + "discouraged, and the inbound slots nearly full (1), inbound limit, nobody to evict (887)");
      assertThat(counters.inboundRefused(InboundRefusal.NOBODY_TO_EVICT)).as("counted for metrics, never reset")
          .isEqualTo(887);
    }
  }
}
