package io.peerd.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.testing.MainnetData;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {
  static final int MAGIC = 0xfabfb5da;
  private static final Hash SOME_HASH = Hash.fromHex("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206");
  private static final NetworkAddress LOCALHOST = NetworkAddress.of(new InetSocketAddress("127.0.0.1", 18444), 1033);
  /** Not 0 or 1, so appended after a version without relay byte it is still invalid. */
  private static final byte TRAILING_BYTE = 7;

  static Stream<Message> everyMessageType() throws WireException {
    Block block = Block.fromBytes(MainnetData.blocks0To438().get(170));
    return Stream.of(
        new Message.Version(70016, 1033, 1_700_000_000L, LOCALHOST, LOCALHOST, 42, "/peerd:0.1/", 7, true, true),
        new Message.Version(70002, 1, 1_700_000_000L, LOCALHOST, LOCALHOST, -1, "", 0, true, false),
        new Message.Verack(), new Message.GetAddr(), new Message.SendAddrV2(), new Message.SendHeaders(),
        new Message.WtxidRelay(),
        new Message.Ping(Long.MIN_VALUE), new Message.Pong(7),
        new Message.Addr(List.of(new Message.TimedAddress(1_700_000_000L, LOCALHOST))),
        new Message.AddrV2(List.of(new AddressV2(1, 0x409, AddressV2.NETWORK_IPV4, new byte[] {127, 0, 0, 1}, 8333),
            new AddressV2(2, 1, AddressV2.NETWORK_TORV3, new byte[32], 9050),
            new AddressV2(3, 1, 42, new byte[] {1, 2, 3}, 1))),
        new Message.Inv(List.of(InventoryItem.block(SOME_HASH))),
        new Message.GetData(List.of(InventoryItem.witnessBlock(SOME_HASH),
            new InventoryItem(InventoryItem.WITNESS_TX, SOME_HASH))),
        new Message.NotFound(List.of()),
        new Message.GetHeaders(70016, List.of(SOME_HASH, block.hash()), Hash.ZERO),
        new Message.GetBlocks(70016, List.of(SOME_HASH), block.hash()),
        new Message.Headers(List.of(block.header(), block.header())),
        new Message.BlockMessage(block),
        new Message.Tx(block.transactions().get(1)),
        new Message.FeeFilter(1000), new Message.SendCmpct(false, 2),
        new Message.Unknown("mempool", new byte[0]), new Message.Unknown("future-cmd", new byte[] {1, 2, 3}));
  }

  static Stream<Message> everyKnownMessageType() throws WireException {
    return everyMessageType().filter(message -> !(message instanceof Message.Unknown));
  }

  @ParameterizedTest
  @MethodSource("everyMessageType")
  void everyMessageRoundTripsByteIdentically(Message message) throws Exception {
    byte[] frame = MessageCodec.encode(MAGIC, message);
    Message decoded = MessageCodec.decode(frame, MAGIC);
    assertThat(decoded.command()).isEqualTo(message.command());
    assertThat(MessageCodec.encode(MAGIC, decoded)).isEqualTo(frame);
    MessageCodec.RawMessage raw = MessageCodec.read(new ByteArrayInputStream(frame), MAGIC);
    assertThat(raw.command()).isEqualTo(message.command());
    assertThat(raw.payload()).isEqualTo(message.payload());
  }

  @ParameterizedTest
  @MethodSource("everyKnownMessageType")
  void trailingBytesAfterAnyMessageAreMalformed(Message message) {
    byte[] payload = message.payload();
    byte[] longer = Arrays.copyOf(payload, payload.length + 1);
    longer[payload.length] = TRAILING_BYTE;
    assertMalformed(message.command(), longer);
  }

  /** What a blocking socket reader does: 24 header bytes first, then exactly the payload. */
  @Test
  void headerThenPayloadDecodesIncrementally() throws Exception {
    Message ping = new Message.Ping(99);
    byte[] frame = MessageCodec.encode(MAGIC, ping);
    FrameHeader header = FrameHeader.read(Arrays.copyOf(frame, FrameHeader.SIZE_BYTES), MAGIC);
    assertThat(header.command()).isEqualTo("ping");
    assertThat(header.payloadLength()).isEqualTo(8);
    byte[] payload = Arrays.copyOfRange(frame, FrameHeader.SIZE_BYTES, frame.length);
    header.verify(payload);
    assertThat(MessageCodec.decodePayload(header.command(), payload)).isEqualTo(ping);
  }

  @Test
  void unknownCommandsAreReportedNotErrors() throws Exception {
    Message decoded = MessageCodec.decode(FrameHeader.encode(MAGIC, "xyzzy", new byte[] {9}), MAGIC);
    assertThat(decoded).isInstanceOf(Message.Unknown.class);
    assertThat(decoded.command()).isEqualTo("xyzzy");
  }

  @Test
  void versionMessageFromBitcoinCoreDecodes() throws Exception {
    // A version payload as Bitcoin Core 0.x sends it (protocol 60002, relay byte absent).
    byte[] payload = HexFormat.of().parseHex("62ea0000010000000000000011b2d05000000000010000000000000000000000000000000000ffff000000000000010000000000000000000000000000000000ffff0000000000003b2eb35d8ce617650f2f5361746f7368693a302e372e322fc03e0300");
    Message.Version version = (Message.Version) MessageCodec.decodePayload("version", payload);
    assertThat(version.protocolVersion()).isEqualTo(60002);
    assertThat(version.userAgent()).isEqualTo("/Satoshi:0.7.2/");
    assertThat(version.startHeight()).isEqualTo(212672);
    assertThat(version.relayPresent()).isFalse();
    assertThat(version.payload()).isEqualTo(payload);
  }

  @Test
  void badMagicBadChecksumAndTruncationAreDistinctErrors() {
    byte[] frame = MessageCodec.encode(MAGIC, new Message.Ping(1));
    assertThatThrownBy(() -> MessageCodec.decode(frame, 0xf9beb4d9)).isInstanceOf(WireException.BadMagic.class)
        .hasMessageContaining("f9beb4d9");
    byte[] corrupted = frame.clone();
    corrupted[corrupted.length - 1] ^= 1;
    assertThatThrownBy(() -> MessageCodec.decode(corrupted, MAGIC)).isInstanceOf(WireException.BadChecksum.class);
    byte[] cut = Arrays.copyOf(frame, frame.length - 1);
    assertThatThrownBy(() -> MessageCodec.decode(cut, MAGIC)).isInstanceOf(WireException.Truncated.class);
    assertThatThrownBy(() -> MessageCodec.read(new ByteArrayInputStream(cut), MAGIC))
        .isInstanceOf(WireException.Truncated.class);
    assertThatThrownBy(() -> MessageCodec.read(new ByteArrayInputStream(new byte[0]), MAGIC))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> MessageCodec.decode(Arrays.copyOf(frame, 10), MAGIC))
        .isInstanceOf(WireException.Truncated.class);
    assertThatThrownBy(() -> MessageCodec.read(new ByteArrayInputStream(Arrays.copyOf(frame, 10)), MAGIC))
        .isInstanceOf(WireException.Truncated.class);
  }

  @Test
  void bytesAfterTheFrameAreMalformed() {
    byte[] frame = MessageCodec.encode(MAGIC, new Message.Ping(1));
    assertThatThrownBy(() -> MessageCodec.decode(Arrays.copyOf(frame, frame.length + 1), MAGIC))
        .isInstanceOf(WireException.Malformed.class);
  }

  /** The declared length is refused before any payload buffer exists: the stream is never read further. */
  @Test
  void oversizedDeclaredLengthIsRefusedBeforeAllocating() {
    byte[] header = headerDeclaring("block", 0x7fffffff); // ~2 GB
    int payloadBytesSent = 100;
    ByteArrayInputStream stream = new ByteArrayInputStream(Arrays.copyOf(header, header.length + payloadBytesSent));
    assertThatThrownBy(() -> MessageCodec.read(stream, MAGIC)).isInstanceOf(WireException.FrameTooLarge.class)
        .hasMessageContaining("block").hasMessageContaining("4000000");
    assertThat(stream.available()).as("payload bytes left unread").isEqualTo(payloadBytesSent);
    byte[] justOver = headerDeclaring("block", FrameHeader.MAX_PAYLOAD_BYTES + 1);
    assertThatThrownBy(() -> FrameHeader.read(justOver, MAGIC)).isInstanceOf(WireException.FrameTooLarge.class);
    assertThatThrownBy(() -> MessageCodec.decode(justOver, MAGIC)).isInstanceOf(WireException.FrameTooLarge.class);
  }

  @Test
  void unknownCommandsObeyTheFrameCap() throws Exception {
    byte[] justOver = headerDeclaring("xyzzy", FrameHeader.MAX_PAYLOAD_BYTES + 1);
    assertThatThrownBy(() -> FrameHeader.read(justOver, MAGIC)).isInstanceOf(WireException.FrameTooLarge.class);
    byte[] atCap = FrameHeader.encode(MAGIC, "xyzzy", new byte[FrameHeader.MAX_PAYLOAD_BYTES]);
    assertThat(MessageCodec.decode(atCap, MAGIC)).isInstanceOf(Message.Unknown.class);
  }

  private static byte[] headerDeclaring(String command, int payloadBytes) {
    byte[] header = FrameHeader.encode(MAGIC, command, new byte[0]);
    ByteWriter length = new ByteWriter(4).writeU32(payloadBytes);
    System.arraycopy(length.toByteArray(), 0, header, 16, 4);
    return header;
  }

  @Test
  void malformedCommandsAreRefused() {
    byte[] afterPadding = MessageCodec.encode(MAGIC, new Message.Verack());
    afterPadding[4 + 7] = 'x'; // "verack", NUL, then a letter
    assertThatThrownBy(() -> MessageCodec.decode(afterPadding, MAGIC)).isInstanceOf(WireException.Malformed.class);
    byte[] control = MessageCodec.encode(MAGIC, new Message.Verack());
    control[4] = 0x07;
    assertThatThrownBy(() -> MessageCodec.decode(control, MAGIC)).isInstanceOf(WireException.Malformed.class);
    byte[] empty = MessageCodec.encode(MAGIC, new Message.Verack());
    Arrays.fill(empty, 4, 4 + FrameHeader.COMMAND_BYTES, (byte) 0);
    assertThatThrownBy(() -> MessageCodec.decode(empty, MAGIC)).isInstanceOf(WireException.Malformed.class);
  }

  @Test
  void commandsThatCouldNotBeReadBackAreRefusedWhenEncoding() {
    assertThatThrownBy(() -> FrameHeader.encode(MAGIC, "bad\0cmd", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FrameHeader.encode(MAGIC, "thirteen-char", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void perTypeCapsAreTypedErrors() {
    List<InventoryItem> items = Collections.nCopies(Message.MAX_INVENTORY_ENTRIES + 1, InventoryItem.block(SOME_HASH));
    assertCapExceeded(new Message.Inv(items));
    assertCapExceeded(new Message.GetData(items));
    assertCapExceeded(new Message.NotFound(items));
    assertCapExceeded(new Message.Headers(Collections.nCopies(Message.MAX_HEADERS + 1, genesisHeader())));
    assertCapExceeded(new Message.Addr(Collections.nCopies(Message.MAX_ADDRESSES + 1,
        new Message.TimedAddress(1, LOCALHOST))));
    assertCapExceeded(new Message.AddrV2(Collections.nCopies(Message.MAX_ADDRESSES + 1,
        new AddressV2(1, 1, AddressV2.NETWORK_IPV4, new byte[4], 1))));
    List<Hash> tooLong = Collections.nCopies(Message.MAX_LOCATOR_HASHES + 1, SOME_HASH);
    assertCapExceeded(new Message.GetHeaders(70016, tooLong, Hash.ZERO));
    assertCapExceeded(new Message.GetBlocks(70016, tooLong, Hash.ZERO));
    assertCapExceeded(versionWithUserAgentBytes(Message.MAX_USER_AGENT_BYTES + 1));
  }

  @Test
  void entriesUpToEachCapAreAccepted() throws Exception {
    assertRoundTrips(new Message.Inv(Collections.nCopies(Message.MAX_INVENTORY_ENTRIES, InventoryItem.block(SOME_HASH))));
    assertRoundTrips(new Message.Headers(Collections.nCopies(Message.MAX_HEADERS, genesisHeader())));
    assertRoundTrips(new Message.Addr(Collections.nCopies(Message.MAX_ADDRESSES,
        new Message.TimedAddress(1, LOCALHOST))));
    assertRoundTrips(new Message.GetHeaders(70016,
        Collections.nCopies(Message.MAX_LOCATOR_HASHES, SOME_HASH), Hash.ZERO));
    assertRoundTrips(versionWithUserAgentBytes(Message.MAX_USER_AGENT_BYTES));
  }

  private static Message.Version versionWithUserAgentBytes(int userAgentBytes) {
    return new Message.Version(70016, 1, 1, LOCALHOST, LOCALHOST, 1, "a".repeat(userAgentBytes), 1, true, true);
  }

  private static BlockHeader genesisHeader() {
    try {
      return Block.fromBytes(MainnetData.blocks0To438().get(0)).header();
    } catch (WireException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertCapExceeded(Message message) {
    byte[] frame = MessageCodec.encode(MAGIC, message);
    assertThatThrownBy(() -> MessageCodec.decode(frame, MAGIC)).as(message.command())
        .isInstanceOf(WireException.LimitExceeded.class);
  }

  private static void assertRoundTrips(Message message) throws WireException {
    byte[] frame = MessageCodec.encode(MAGIC, message);
    assertThat(MessageCodec.encode(MAGIC, MessageCodec.decode(frame, MAGIC))).as(message.command()).isEqualTo(frame);
  }

  @ParameterizedTest
  @ValueSource(strings = {"verack", "getaddr", "sendaddrv2", "sendheaders", "wtxidrelay"})
  void emptyMessagesWithAPayloadAreMalformed(String command) {
    assertMalformed(command, new byte[1]);
  }

  @Test
  void malformedPayloadsAreRefused() {
    assertMalformed("ping", new byte[9]);
    assertMalformed("sendcmpct", HexFormat.of().parseHex("020200000000000000"));
    assertMalformed("addrv2", HexFormat.of().parseHex("01" + "00000000" + "01" + "01" + "03" + "7f0000" + "208d"));
    assertMalformed("headers", HexFormat.of().parseHex("01" + "00".repeat(80) + "01"));
    assertThatThrownBy(() -> MessageCodec.decodePayload("inv", HexFormat.of().parseHex("fd0010")))
        .as("count larger than the payload").isInstanceOf(WireException.Truncated.class);
  }

  @Test
  void versionWithAUserAgentThatIsNotUtf8IsMalformed() {
    byte[] payload = versionWithUserAgentBytes(1).payload();
    int userAgentOffset = 4 + 8 + 8 + 2 * NetworkAddress.SIZE_BYTES + 8 + 1;
    payload[userAgentOffset] = (byte) 0xff;
    assertMalformed("version", payload);
  }

  /** A CompactSize longer than needed would not re-encode to the same bytes; Core refuses it too. */
  @ParameterizedTest
  @CsvSource({
      "inv, fd0100",
      "inv, fdfc00",
      "inv, feffff0000",
      "inv, ffffffffff00000000",
      "addrv2, 0100000000fd010001047f000001208d"})
  void nonCanonicalCompactSizesAreMalformed(String command, String payloadHex) {
    assertThatThrownBy(() -> MessageCodec.decodePayload(command, HexFormat.of().parseHex(payloadHex)))
        .isInstanceOf(WireException.Malformed.class).hasMessageContaining("non-canonical");
  }

  private static void assertMalformed(String command, byte[] payload) {
    assertThatThrownBy(() -> MessageCodec.decodePayload(command, payload)).as(command)
        .isInstanceOf(WireException.Malformed.class);
  }
}
