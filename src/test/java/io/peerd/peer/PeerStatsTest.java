package io.peerd.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.wire.Commands;
import io.peerd.wire.FrameHeader;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerStatsTest {
  private static final int MAGIC = 0xfabfb5da;
  private final PeerTotals totals = new PeerTotals();
  private final PeerStats stats = new PeerStats(totals);

  @Test
  void bytesAreCountedPerCommandWithCommandsCoreDoesNotKnowUnderOther() {
    stats.received("headers", 1_000);
    stats.received("headers", 24);
    stats.received("xyzzy", 30);
    stats.received("plugh", 40);

    assertThat(stats.receivedTraffic().bytesByCommand()).containsExactly(
        Map.entry(Commands.OTHER, 70L), Map.entry("headers", 1_024L));
    assertThat(stats.receivedTraffic().totalBytes()).isEqualTo(1_094);
    assertThat(stats.sentTraffic().totalBytes()).isZero();
    assertThat(stats.lastReceivedMillis()).isPositive();
    assertThat(stats.lastSentMillis()).as("nothing sent").isZero();
  }

  @Test
  void sentFramesAreCountedUnderTheirOwnCommand() {
    byte[] ping = MessageCodec.encode(MAGIC, new Message.Ping(7));
    byte[] sendHeaders = MessageCodec.encode(MAGIC, new Message.SendHeaders());
    stats.sent(ping);
    stats.sent(sendHeaders);

    assertThat(stats.sentTraffic().bytesByCommand()).containsExactly(
        Map.entry("ping", (long) ping.length), Map.entry("sendheaders", (long) FrameHeader.SIZE_BYTES));
    assertThat(stats.sentTraffic().totalBytes()).isEqualTo(ping.length + FrameHeader.SIZE_BYTES);
    assertThat(stats.lastSentMillis()).isPositive();
  }

  @Test
  void everyFrameAlsoCountsInTheNodesTotalsWhichOutliveThePeer() {
    PeerStats other = new PeerStats(totals);
    byte[] ping = MessageCodec.encode(MAGIC, new Message.Ping(7));
    stats.received("headers", 1_000);
    other.received("headers", 24);
    other.received("xyzzy", 30);
    stats.sent(ping);

    int headers = Commands.indexOf("headers");
    assertThat(totals.receivedBytes(headers)).isEqualTo(1_024);
    assertThat(totals.receivedMessages(headers)).isEqualTo(2);
    assertThat(totals.receivedMessages(Commands.indexOf(Commands.OTHER))).isEqualTo(1);
    assertThat(totals.sentBytes(Commands.indexOf("ping"))).isEqualTo(ping.length);
    assertThat(totals.sentMessages(Commands.indexOf("ping"))).isEqualTo(1);
    assertThat(totals.sentMessages(headers)).isZero();
    assertThat(totals.receivedBytes()).as("all commands: getnettotals").isEqualTo(1_054);
    assertThat(totals.sentBytes()).isEqualTo(ping.length);
  }

  @Test
  void aFeeFilterOutsideCoresMoneyRangeIsIgnored() {
    stats.feeFilterReceived(1_000);
    stats.feeFilterReceived(-1);
    stats.feeFilterReceived(21_000_000L * 100_000_000L + 1);
    assertThat(stats.feeFilterSatoshisPerKb()).isEqualTo(1_000);
  }

  @Test
  void theTimeOffsetIsTheirClockMinusOurs() {
    stats.versionReceived(System.currentTimeMillis() / 1000 - 600);
    assertThat(stats.timeOffsetSeconds()).isBetween(-601L, -599L);
  }
}
