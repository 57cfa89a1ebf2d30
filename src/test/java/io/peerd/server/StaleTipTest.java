package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.peer.ConnectionKind;
import io.peerd.testing.StubPeer;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Core's stale-tip rule: one extra full-relay peer while the tip stands still, dropped once it moves. */
class StaleTipTest {
  @Test
  void anExtraSlotOpensAfterThirtyMinutesWithoutANewTipAndClosesWhenOneComes() {
    StaleTip staleTip = new StaleTip(0);
    assertThat(staleTip.fullRelaySlots(8, StaleTip.STALE_AFTER_MILLIS - 1)).isEqualTo(8);
    assertThat(staleTip.fullRelaySlots(8, StaleTip.STALE_AFTER_MILLIS)).isEqualTo(9);

    staleTip.tipChanged(StaleTip.STALE_AFTER_MILLIS + 5);
    assertThat(staleTip.fullRelaySlots(8, StaleTip.STALE_AFTER_MILLIS + 6)).isEqualTo(8);
  }

  @Test
  void theExtraPeerToDropIsTheOneWhoseLastNewBlockIsOldestAndOnATieTheYoungest() {
    Registry.Entry recentBlocks = fullRelay(1, 100, 9_000);
    Registry.Entry oldOnTie = fullRelay(2, 200, 1_000);
    Registry.Entry youngOnTie = fullRelay(3, 300, 1_000);
    Registry.Entry blockRelay = entry(4, ConnectionKind.OUTBOUND_BLOCK_RELAY, 400, 0);
    List<Registry.Entry> entries = List.of(recentBlocks, oldOnTie, youngOnTie, blockRelay);

    assertThat(StaleTip.extraPeer(entries, 3)).isEmpty();
    assertThat(StaleTip.extraPeer(entries, 2)).containsSame(youngOnTie);
  }

  private static Registry.Entry fullRelay(long id, long startedAtMillis, long lastNewBlockMillis) {
    return entry(id, ConnectionKind.OUTBOUND_FULL, startedAtMillis, lastNewBlockMillis);
  }

  private static Registry.Entry entry(long id, ConnectionKind kind, long startedAtMillis, long lastNewBlockMillis) {
    InetSocketAddress address = new InetSocketAddress("127.0.0." + id, 18444);
    StubPeer peer = new StubPeer(id, kind, address, id, 0, List.of(), lastNewBlockMillis);
    Registry.Entry entry = new Registry.Entry(peer, kind, address, null, 0, startedAtMillis);
    Registry registry = new Registry(null); // only to mark it active, as the server's does
    registry.add(entry);
    registry.activate(entry);
    return entry;
  }
}
