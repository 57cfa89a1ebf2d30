package io.peerd.peer;

import static io.peerd.testing.TestNodes.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.chain.NetworkParameters;
import io.peerd.node.Node;
import io.peerd.server.ServerConfig;
import io.peerd.testing.RawPeer;
import io.peerd.testing.RawPeer.VersionFields;
import io.peerd.testing.TestNodes;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.FrameHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deliberately bad bytes get a clean disconnect and, when they cannot be line noise, the
 * sender's IP discouraged. A discouraged address is not banned: it gets an inbound slot only
 * while another would stay free, so these nodes have a single slot and a new connection from it
 * is closed at once, before any handshake (the handshake timeout is a minute, so only the
 * refusal closes it within the test's wait). Each test has its own node, since every connection
 * comes from 127.0.0.1.
 */
class BadInputTest {
  private static final int REGTEST_MAGIC = NetworkParameters.REGTEST.magic();
  private static final int LENGTH_OFFSET = 4 + FrameHeader.COMMAND_BYTES;

  @TempDir
  Path dir;

  @Test
  void aFrameWithAnotherNetworksMagicDisconnectsAndDiscouragesTheSender() throws Exception {
    try (Node node = startWithOneInboundSlot(); RawPeer remote = RawPeer.connect(node)) {
      Message.Version version = remote.version(VersionFields.defaults());
      remote.sendRaw(MessageCodec.encode(NetworkParameters.TESTNET3.magic(), version));

      assertThat(remote.awaitClosed()).isEmpty();
      assertDiscouraged(node);
    }
  }

  static Stream<Named<Supplier<byte[]>>> malformedFrames() {
    return Stream.of(
        Named.of("headers with a non-zero transaction count", BadInputTest::headersWithTransactionCount),
        Named.of("headers with 2,001 entries", BadInputTest::tooManyHeaders),
        Named.of("a frame declaring more than 4,000,000 bytes", BadInputTest::oversizedDeclaredLength));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFrames")
  void aMalformedMessageAfterTheHandshakeDisconnectsAndDiscouragesTheSender(Supplier<byte[]> frame)
      throws Exception {
    try (Node node = startWithOneInboundSlot(); RawPeer remote = RawPeer.connect(node)) {
      remote.handshake();
      awaitActive(node, remote.localAddress());

      remote.sendRaw(frame.get());

      remote.awaitClosed();
      assertDiscouraged(node);
    }
  }

  /** A bad checksum may be line noise: the peer is dropped, its IP not held against it. */
  @Test
  void aBadChecksumDisconnectsWithoutDiscouraging() throws Exception {
    try (Node node = startWithOneInboundSlot(); RawPeer remote = RawPeer.connect(node)) {
      remote.handshake();
      awaitActive(node, remote.localAddress());

      byte[] ping = MessageCodec.encode(REGTEST_MAGIC, new Message.Ping(7));
      ping[ping.length - 1] ^= 1;
      remote.sendRaw(ping);

      remote.awaitClosed();
      try (RawPeer again = RawPeer.connect(node)) {
        again.handshake();
        awaitActive(node, again.localAddress());
      }
    }
  }

  private Node startWithOneInboundSlot() throws Exception {
    return TestNodes.start(TestNodes.regtest(dir).withServer(ServerConfig.defaults(null, List.of(), false)
        .withMaxInbound(1)));
  }

  private static void assertDiscouraged(Node node) throws Exception {
    try (RawPeer again = RawPeer.connect(node)) {
      assertThat(again.awaitClosed()).isEmpty();
    }
  }

  private static byte[] headersWithTransactionCount() {
    byte[] frame = MessageCodec.encode(REGTEST_MAGIC, new Message.Headers(List.of(anyHeader())));
    frame[frame.length - 1] = 1; // the count after the one header
    return fixChecksum(frame);
  }

  private static byte[] tooManyHeaders() {
    List<BlockHeader> headers = Collections.nCopies(Message.MAX_HEADERS + 1, anyHeader());
    return MessageCodec.encode(REGTEST_MAGIC, new Message.Headers(headers));
  }

  /** Just a header: the node must refuse the length before waiting for (or allocating) the payload. */
  private static byte[] oversizedDeclaredLength() {
    byte[] header = FrameHeader.encode(REGTEST_MAGIC, "block", new byte[0]);
    ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(LENGTH_OFFSET, FrameHeader.MAX_PAYLOAD_BYTES + 1);
    return header;
  }

  private static byte[] fixChecksum(byte[] frame) {
    byte[] payload = Arrays.copyOfRange(frame, FrameHeader.SIZE_BYTES, frame.length);
    ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(LENGTH_OFFSET + 4, FrameHeader.checksum(payload));
    return frame;
  }

  /** Decoding fails before any header is looked at, so any header does. */
  private static BlockHeader anyHeader() {
    return new BlockHeader(1, Hash.ZERO, Hash.ZERO, 1_296_688_602, 0x207fffff, 2);
  }
}
