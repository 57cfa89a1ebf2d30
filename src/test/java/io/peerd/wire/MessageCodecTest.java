package io.peerd.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.testing.MainnetData;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
  static final int MAGIC = 0xfabfb5da;
  private static final Hash SOME_HASH = Hash.fromHex("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206");
  private static final NetworkAddress LOCALHOST = NetworkAddress.of(new InetSocketAddress("127.0.0.1", 18444), 1033);

  static Stream<Message> everyMessageType() throws WireException {
    Block block = Block.fromBytes(MainnetData.blocks0To438().get(170));
    return Stream.of(
        new Message.Version(70016, 1033, 1_700_000_000L, LOCALHOST, LOCALHOST, 42, "/peerd:0.1/", 7, true, true),
        new Message.Version(70002, 1, 1_700_000_000L, LOCALHOST, LOCALHOST, -1, "", 0, true, false),
        Message.Empty.VERACK, Message.Empty.GETADDR, Message.Empty.SENDADDRV2, Message.Empty.SENDHEADERS,
        Message.Empty.WTXIDRELAY,
        new Message.Ping(Long.MIN_VALUE), new Message.Pong(7),
        new Message.Addr(List.of(new Message.TimedAddress(1_700_000_000L, LOCALHOST))),
        new Message.AddrV2(List.of(new AddressV2(1, 0x409, AddressV2.NETWORK_IPV4, new byte[] {127, 0, 0, 1}, 8333),
            new AddressV2(2, 1, AddressV2.NETWORK_TORV3, new byte[32], 9050),
            new AddressV2(3, 1, 42, new byte[] {1, 2, 3}, 1))),
        new Message.Inventory(Message.Inventory.INV, List.of(InventoryItem.block(SOME_HASH))),
        new Message.Inventory(Message.Inventory.GETDATA, List.of(InventoryItem.witnessBlock(SOME_HASH),
            new InventoryItem(InventoryItem.WITNESS_TX, SOME_HASH))),
        new Message.Inventory(Message.Inventory.NOTFOUND, List.of()),
        new Message.Locator(Message.Locator.GETHEADERS, 70016, List.of(SOME_HASH, block.hash()), Hash.ZERO),
        new Message.Locator(Message.Locator.GETBLOCKS, 70016, List.of(SOME_HASH), block.hash()),
        new Message.Headers(List.of(block.header(), block.header())),
        new Message.BlockMessage(block),
        new Message.Tx(block.transactions().get(1)),
        new Message.FeeFilter(1000), new Message.SendCmpct(false, 2),
        new Message.Unknown("mempool", new byte[0]), new Message.Unknown("future-cmd", new byte[] {1, 2, 3}));
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
    byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 1);
    assertThatThrownBy(() -> MessageCodec.decode(cut, MAGIC)).isInstanceOf(WireException.Truncated.class);
    assertThatThrownBy(() -> MessageCodec.read(new ByteArrayInputStream(cut), MAGIC))
        .isInstanceOf(WireException.Truncated.class);
    assertThatThrownBy(() -> MessageCodec.read(new ByteArrayInputStream(new byte[0]), MAGIC))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> MessageCodec.decode(java.util.Arrays.copyOf(frame, 10), MAGIC))
        .isInstanceOf(WireException.Truncated.class);
  }

  /** The declared length is refused before any payload buffer exists: the stream is never read further. */
  @Test
  void oversizedDeclaredLengthIsRefusedBeforeAllocating() {
    byte[] header = FrameHeader.encode(MAGIC, "block", new byte[0]);
    header[16] = (byte) 0xff;
    header[17] = (byte) 0xff;
    header[18] = (byte) 0xff;
    header[19] = (byte) 0x7f; // ~2 GB
    ByteArrayInputStream stream = new ByteArrayInputStream(header);
    assertThatThrownBy(() -> MessageCodec.read(stream, MAGIC)).isInstanceOf(WireException.FrameTooLarge.class)
        .hasMessageContaining("block").hasMessageContaining("4000000");
    header[16] = 0x01;
    header[17] = 0x09;
    header[18] = 0x3d;
    header[19] = 0x00; // 4,000,001
    assertThatThrownBy(() -> FrameHeader.read(header, MAGIC)).isInstanceOf(WireException.FrameTooLarge.class);
  }

  @Test
  void malformedCommandsAreRefused() {
    byte[] frame = MessageCodec.encode(MAGIC, Message.Empty.VERACK);
    frame[4 + 6] = 'x'; // after "verack" + NUL padding starts
    frame[4 + 7] = 'x';
    byte[] afterPadding = frame.clone();
    afterPadding[4 + 6] = 0;
    assertThatThrownBy(() -> MessageCodec.decode(afterPadding, MAGIC)).isInstanceOf(WireException.Malformed.class);
    byte[] control = MessageCodec.encode(MAGIC, Message.Empty.VERACK);
    control[4] = 0x07;
    assertThatThrownBy(() -> MessageCodec.decode(control, MAGIC)).isInstanceOf(WireException.Malformed.class);
  }

  @Test
  void perTypeCapsAreTypedErrors() {
    List<InventoryItem> items = Collections.nCopies(Message.MAX_INVENTORY_ENTRIES + 1, InventoryItem.block(SOME_HASH));
    assertCapExceeded(new Message.Inventory(Message.Inventory.GETDATA, items));
    assertCapExceeded(new Message.Inventory(Message.Inventory.INV, items));
    List<BlockHeader> headers = Collections.nCopies(Message.MAX_HEADERS + 1,
        genesisHeader());
    assertCapExceeded(new Message.Headers(headers));
    assertCapExceeded(new Message.Addr(Collections.nCopies(Message.MAX_ADDRESSES + 1,
        new Message.TimedAddress(1, LOCALHOST))));
    assertCapExceeded(new Message.AddrV2(Collections.nCopies(Message.MAX_ADDRESSES + 1,
        new AddressV2(1, 1, AddressV2.NETWORK_IPV4, new byte[4], 1))));
    assertCapExceeded(new Message.Locator(Message.Locator.GETHEADERS, 70016,
        Collections.nCopies(Message.MAX_LOCATOR_HASHES + 1, SOME_HASH), Hash.ZERO));
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
    assertThatThrownBy(() -> MessageCodec.decode(frame, MAGIC)).isInstanceOf(WireException.LimitExceeded.class);
  }

  @Test
  void malformedPayloadsAreRefused() {
    assertMalformed("verack", new byte[] {0});
    assertMalformed("ping", new byte[9]);
    assertMalformed("sendcmpct", HexFormat.of().parseHex("020200000000000000"));
    assertMalformed("addrv2", HexFormat.of().parseHex("01" + "00000000" + "01" + "01" + "03" + "7f0000" + "208d"));
    assertMalformed("headers", HexFormat.of().parseHex("01" + "00".repeat(80) + "01"));
    assertThatThrownBy(() -> MessageCodec.decodePayload("inv", HexFormat.of().parseHex("fd0100")))
        .as("non-canonical varint").isInstanceOf(WireException.Malformed.class).hasMessageContaining("non-canonical");
    assertThatThrownBy(() -> MessageCodec.decodePayload("inv", HexFormat.of().parseHex("fd0010")))
        .as("count larger than the payload").isInstanceOf(WireException.Truncated.class);
  }

  private static void assertMalformed(String command, byte[] payload) {
    assertThatThrownBy(() -> MessageCodec.decodePayload(command, payload)).as(command)
        .isInstanceOf(WireException.Malformed.class);
  }
}
