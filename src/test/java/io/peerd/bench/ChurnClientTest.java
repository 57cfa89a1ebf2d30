package io.peerd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.bench.ChurnClient.Outcome;
import io.peerd.chain.NetworkParameters;
import io.peerd.node.Node;
import io.peerd.server.ServerConfig;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import io.peerd.wire.NetworkAddress;
import io.peerd.wire.WireException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ChurnClient} against an in-process peerd node (its outcomes must agree with the node's
 * own counters), against the benchmark's {@link HandshakeFloor}s, and against scripted listeners
 * for the failures a healthy node never shows. In
 * the suite, though under {@code bench}: only the benchmarks themselves stay out of it.
 */
class ChurnClientTest {
  private static final int WAVES = 3;
  private static final int WAVE_PEERS = 50;

  @TempDir
  Path dir;

  @Test
  void wavesAgainstPeerdAllCompleteAndTheNodeCountsTheSameHandshakes() throws Exception {
    try (Node node = peerd(4 * WAVE_PEERS)) {
      ChurnClient.Result result = new ChurnClient(node.p2pAddress(), WAVE_PEERS).run(WAVES);

      assertThat(result.count(Outcome.COMPLETED)).as("%s", result).isEqualTo(WAVES * WAVE_PEERS);
      assertThat(result.failed()).isZero();
      assertThat(result.waveNanos()).hasSize(WAVES);
      await().atMost(TestNodes.PROMPTLY).untilAsserted(() -> {
        Map<String, Double> counters = counters(node);
        assertThat(sum(counters, "peerd_handshakes_completed_total")).isEqualTo(WAVES * WAVE_PEERS);
        assertThat(sum(counters, "peerd_handshakes_failed_total")).isZero();
        assertThat(sum(counters, "peerd_inbound_refused_total")).isZero();
      });
    }
  }

  /** The floors the benchmark sets beside peerd answer every handshake, however they drive their sockets. */
  @ParameterizedTest
  @EnumSource(HandshakeFloor.Mode.class)
  void wavesAgainstAHandshakeFloorAllComplete(HandshakeFloor.Mode mode) throws Exception {
    try (HandshakeFloor.Serving floor = new HandshakeFloor().start(mode)) {
      ChurnClient.Result result = new ChurnClient(new InetSocketAddress("127.0.0.1", floor.port()), WAVE_PEERS)
          .run(WAVES);

      assertThat(result.count(Outcome.COMPLETED)).as("%s", result).isEqualTo(WAVES * WAVE_PEERS);
    }
  }

  @Test
  void aNodeWithoutInboundSlotsRefusesEveryConnection() throws Exception {
    try (Node node = peerd(0)) {
      ChurnClient.Result result = new ChurnClient(node.p2pAddress(), WAVE_PEERS).run(1);

      assertThat(result.count(Outcome.REFUSED)).as("%s", result).isEqualTo(WAVE_PEERS);
      assertThat(result.failed()).isZero();
      assertThat(result.firstError()).isEmpty();
      await().atMost(TestNodes.PROMPTLY).untilAsserted(() ->
          assertThat(sum(counters(node), "peerd_inbound_refused_total")).isEqualTo(WAVE_PEERS));
    }
  }

  @Test
  void aNodeThatClosesAfterItsVersionFailsTheHandshake() throws Exception {
    byte[] version = MessageCodec.encode(NetworkParameters.REGTEST.magic(), version());
    assertThat(outcomesAgainst(version)).containsEntry(Outcome.CLOSED_MID_HANDSHAKE, 5L);
  }

  @Test
  void aFrameWithAnotherNetworksMagicIsOther() throws Exception {
    byte[] mainnetVersion = MessageCodec.encode(NetworkParameters.MAINNET.magic(), version());
    assertThat(outcomesAgainst(mainnetVersion)).containsEntry(Outcome.OTHER, 5L);
  }

  /** A listener that never accepts: the kernel completes each connect, and nothing ever answers the version. */
  @Test
  void aNodeThatNeverAnswersTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ChurnClient.Result result = new ChurnClient((InetSocketAddress) silent.getLocalSocketAddress(), 5).run(1);
      assertThat(result.count(Outcome.TIMED_OUT)).as("%s", result).isEqualTo(5);
    }
  }

  @Test
  void nothingListeningIsAFailedConnect() throws Exception {
    ChurnClient.Result result = new ChurnClient(TestNodes.unusedLoopbackAddress(), 5).run(1);
    assertThat(result.count(Outcome.CONNECT_FAILED)).as("%s", result).isEqualTo(5);
  }

  private Node peerd(int maxInbound) throws Exception {
    // connect-only without peers: it dials nobody, so every connection is the client's
    return TestNodes.start(TestNodes.regtest(dir).withMetrics(new InetSocketAddress("127.0.0.1", 0))
        .withServer(ServerConfig.defaults(null, List.of(), true).withMaxInbound(maxInbound)));
  }

  private static Map<String, Double> counters(Node node) throws Exception {
    return ChurnBenchmark.nodeCounters(node.metricsAddress().getPort());
  }

  private static double sum(Map<String, Double> counters, String name) {
    return counters.entrySet().stream().filter(e -> e.getKey().startsWith(name)).mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private static Message.Version version() {
    return new Message.Version(70016, 0, 0, new NetworkAddress(0, new byte[16], 0),
        new NetworkAddress(0, new byte[16], 0), 1, "/fake:0.1/", 0, false, true);
  }

  /**
   * One wave of 5 against a listener that reads each connection's version, answers {@code reply}
   * and closes it (having read what came, so the close is an end of stream, not a reset).
   */
  private static Map<Outcome, Long> outcomesAgainst(byte[] reply) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        while (true) {
          Socket socket;
          try {
            socket = listener.accept();
          } catch (IOException e) {
            return; // the listener closed
          }
          try (socket) {
            MessageCodec.read(socket.getInputStream(), NetworkParameters.REGTEST.magic());
            socket.getOutputStream().write(reply);
          } catch (IOException | WireException e) {
            // this connection's trouble shows in the client's outcome
          }
        }
      });
      ChurnClient.Result result =
          new ChurnClient((InetSocketAddress) listener.getLocalSocketAddress(), 5).run(1);
      assertThat(result.firstError()).as("%s", result).isNotEmpty();
      return result.outcomes();
    }
  }
}
