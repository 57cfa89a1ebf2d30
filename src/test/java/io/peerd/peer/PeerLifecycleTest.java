package io.peerd.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.testing.StubPeer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle task's contract in the orders a peer's threads can signal it (the model checks
 * explore the interleavings; these pin the single-thread orders): "added" only for a handshake
 * completed before the close, "done" always, once, last.
 */
class PeerLifecycleTest {
  private final RecordingEvents events = new RecordingEvents();
  private final PeerLifecycle lifecycle = new PeerLifecycle(
      new StubPeer(1, ConnectionKind.INBOUND, new InetSocketAddress("127.0.0.1", 1), 1), events);

  @Test
  void aHandshakeCompletedBeforeTheCloseIsReportedAddedThenDone() {
    lifecycle.handshakeCompleted();
    lifecycle.closed();
    lifecycle.run();

    assertThat(events.facts).containsExactly("added", "done after added");
  }

  /** Seed 000: the handshake timeout closed the peer just as its verack was being handled. */
  @Test
  void aHandshakeCompletedAfterTheCloseIsNotReportedAdded() {
    lifecycle.closed();
    lifecycle.handshakeCompleted();
    lifecycle.run();

    assertThat(events.facts).containsExactly("done, never added");
  }

  @Test
  void repeatedSignalsReportOnce() {
    lifecycle.handshakeCompleted();
    lifecycle.handshakeCompleted();
    lifecycle.closed();
    lifecycle.closed();
    lifecycle.run();

    assertThat(events.facts).containsExactly("added", "done after added");
  }
}
