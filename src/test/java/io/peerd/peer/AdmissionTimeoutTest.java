package io.peerd.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.chain.NetworkParameters;
import io.peerd.net.Connection;
import io.peerd.net.TcpTransport;
import io.peerd.net.Transport;
import io.peerd.testing.ManualTimers;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestChains;
import io.peerd.wire.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A peer whose version the server never admits (a server too busy to answer within the
 * handshake timeout) is closed by its own reader, whatever the handshake timer does: its later
 * messages must reach no actor, since it was never "added". The timers here never fire, so only
 * the reader can close it.
 */
class AdmissionTimeoutTest {
  private static final long HANDSHAKE_TIMEOUT_MILLIS = 200;

  @Test
  void aPeerNotAdmittedWithinTheHandshakeTimeoutIsClosedAndForwardsNothing() throws Exception {
    RecordingEvents events = new RecordingEvents();
    CompletableFuture<Connection> accepted = new CompletableFuture<>();
    TcpTransport transport = new TcpTransport(Thread.ofVirtual().factory());
    try (Transport.Listener listener = transport.listen(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), accepted::complete);
        RawPeer remote = RawPeer.connect(listener.localAddress(), NetworkParameters.REGTEST.magic(), 0)) {
      PeerConfig config = PeerConfig.defaults(NetworkParameters.REGTEST, null)
          .withTimeouts(HANDSHAKE_TIMEOUT_MILLIS, 60_000, 60_000, 60_000, 60_000);
      Peer peer = new Peer(accepted.get(5, TimeUnit.SECONDS), ConnectionKind.INBOUND, config,
          TestChains.fresh().view(), events, new ManualTimers(), Thread.ofVirtual().factory(), new PeerTotals());
      peer.start();

      remote.sendVersion();
      remote.send(new Message.Ping(7));
      remote.send(new Message.Headers(List.of()));

      assertThat(remote.awaitClosed()).as("nothing answered, not even the ping").isEmpty();
      await().atMost(Duration.ofSeconds(5)).until(() -> events.facts.size() == 2);
      assertThat(events.facts).containsExactly("version", "done, never added");
    }
  }
}
