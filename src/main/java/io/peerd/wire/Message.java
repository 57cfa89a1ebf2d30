package io.peerd.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Every P2P message peerd speaks, one record each. A message knows its command and how to
 * write its payload; {@link MessageCodec} maps commands to decoders. Per-type caps are the
 * constants below: decoders refuse more entries with {@link WireException.LimitExceeded}.
 * Constructors do not check the caps (the bytes come from peerd itself, and tests build
 * over-cap messages to exercise the decoders).
 */
public sealed interface Message {
  /** inv, getdata and notfound entries. */
  int MAX_INVENTORY_ENTRIES = 50_000;
  /** Headers in one headers message. */
  int MAX_HEADERS = 2_000;
  /** Addresses in one addr or addrv2 message. */
  int MAX_ADDRESSES = 1_000;
  /** Hashes in a getheaders/getblocks locator. */
  int MAX_LOCATOR_HASHES = 101;
  /** Bytes of a version message's user agent. */
  int MAX_USER_AGENT_BYTES = 256;

  String command();

  void writePayload(ByteWriter writer);

  default byte[] payload() {
    ByteWriter writer = new ByteWriter();
    writePayload(writer);
    return writer.toByteArray();
  }

  /**
   * The handshake's first message. {@code relayPresent} records whether the optional relay byte
   * (BIP37) was on the wire, so re-encoding is byte-identical.
   */
  record Version(int protocolVersion, long services, long timestampSeconds, NetworkAddress receiver,
      NetworkAddress sender, long nonce, String userAgent, int startHeight, boolean relay, boolean relayPresent)
      implements Message {
    public String command() {
      return "version";
    }

    public void writePayload(ByteWriter writer) {
      writer.writeI32(protocolVersion).writeI64(services).writeI64(timestampSeconds);
      receiver.write(writer);
      sender.write(writer);
      writer.writeI64(nonce).writeVarBytes(userAgent.getBytes(StandardCharsets.UTF_8)).writeI32(startHeight);
      if (relayPresent) {
        writer.writeBoolean(relay);
      }
    }

    static Version read(ByteReader reader) throws WireException {
      int protocolVersion = reader.readI32("version protocol");
      long services = reader.readI64("version services");
      long timestamp = reader.readI64("version timestamp");
      NetworkAddress receiver = NetworkAddress.read(reader);
      NetworkAddress sender = NetworkAddress.read(reader);
      long nonce = reader.readI64("version nonce");
      byte[] agent = reader.readVarBytes("version user agent", MAX_USER_AGENT_BYTES);
      int startHeight = reader.readI32("version start height");
      boolean relayPresent = reader.hasRemaining();
      boolean relay = !relayPresent || reader.readBoolean("version relay");
      String userAgent = new String(agent, StandardCharsets.UTF_8);
      // A String field re-encodes byte-identically only if the bytes were valid UTF-8.
      if (!Arrays.equals(agent, userAgent.getBytes(StandardCharsets.UTF_8))) {
        throw new WireException.Malformed("version user agent is not valid UTF-8");
      }
      return new Version(protocolVersion, services, timestamp, receiver, sender, nonce, userAgent, startHeight,
          relay, relayPresent);
    }
  }

  /** A message with no payload: the command is all it says. */
  sealed interface NoPayload extends Message {
    default void writePayload(ByteWriter writer) {}
  }

  /** The handshake's acknowledgement of the peer's version. */
  record Verack() implements NoPayload {
    public String command() {
      return "verack";
    }
  }

  /** A request for addresses the receiver knows. */
  record GetAddr() implements NoPayload {
    public String command() {
      return "getaddr";
    }
  }

  /** BIP155: send addresses as addrv2; only valid during the handshake. */
  record SendAddrV2() implements NoPayload {
    public String command() {
      return "sendaddrv2";
    }
  }

  /** BIP130: announce new blocks with headers rather than inv. */
  record SendHeaders() implements NoPayload {
    public String command() {
      return "sendheaders";
    }
  }

  /** BIP339: relay transactions by wtxid; only valid during the handshake (peerd relays none). */
  record WtxidRelay() implements NoPayload {
    public String command() {
      return "wtxidrelay";
    }
  }

  record Ping(long nonce) implements Message {
    public String command() {
      return "ping";
    }

    public void writePayload(ByteWriter writer) {
      writer.writeI64(nonce);
    }
  }

  record Pong(long nonce) implements Message {
    public String command() {
      return "pong";
    }

    public void writePayload(ByteWriter writer) {
      writer.writeI64(nonce);
    }
  }

  /** A legacy address with the time it was last seen (seconds). 30 bytes on the wire. */
  record TimedAddress(long timeSeconds, NetworkAddress address) {
    static final int SIZE_BYTES = 4 + NetworkAddress.SIZE_BYTES;
  }

  record Addr(List<TimedAddress> addresses) implements Message {
    public Addr {
      addresses = List.copyOf(addresses);
    }

    public String command() {
      return "addr";
    }

    public void writePayload(ByteWriter writer) {
      writer.writeVarInt(addresses.size());
      for (TimedAddress entry : addresses) {
        writer.writeU32(entry.timeSeconds());
        entry.address().write(writer);
      }
    }

    static Addr read(ByteReader reader) throws WireException {
      int count = reader.readCount("addr entries", MAX_ADDRESSES, TimedAddress.SIZE_BYTES);
      TimedAddress[] entries = new TimedAddress[count];
      for (int i = 0; i < count; i++) {
        entries[i] = new TimedAddress(reader.readU32("addr time"), NetworkAddress.read(reader));
      }
      return new Addr(List.of(entries));
    }
  }

  record AddrV2(List<AddressV2> addresses) implements Message {
    public AddrV2 {
      addresses = List.copyOf(addresses);
    }

    public String command() {
      return "addrv2";
    }

    public void writePayload(ByteWriter writer) {
      writer.writeVarInt(addresses.size());
      addresses.forEach(address -> address.write(writer));
    }

    static AddrV2 read(ByteReader reader) throws WireException {
      int count = reader.readCount("addrv2 entries", MAX_ADDRESSES, AddressV2.MIN_SIZE_BYTES);
      AddressV2[] entries = new AddressV2[count];
      for (int i = 0; i < count; i++) {
        entries[i] = AddressV2.read(reader);
      }
      return new AddrV2(List.of(entries));
    }
  }

  /** inv, getdata and notfound share one shape: a list of typed hashes. */
  sealed interface InventoryMessage extends Message {
    List<InventoryItem> items();

    default void writePayload(ByteWriter writer) {
      writer.writeVarInt(items().size());
      for (InventoryItem item : items()) {
        writer.writeU32(item.type()).writeHash(item.hash());
      }
    }

    /** The payload of an inv, getdata or notfound: the decoder builds the record for {@code command}. */
    static List<InventoryItem> readItems(String command, ByteReader reader) throws WireException {
      int count = reader.readCount(command + " entries", MAX_INVENTORY_ENTRIES, InventoryItem.SIZE_BYTES);
      InventoryItem[] items = new InventoryItem[count];
      for (int i = 0; i < count; i++) {
        items[i] = new InventoryItem(reader.readU32("inventory type"), reader.readHash("inventory hash"));
      }
      return List.of(items);
    }
  }

  /** What the sender has: announced blocks, or getblocks' answer. */
  record Inv(List<InventoryItem> items) implements InventoryMessage {
    public Inv {
      items = List.copyOf(items);
    }

    public String command() {
      return "inv";
    }
  }

  /** A request for the blocks (or transactions) listed. */
  record GetData(List<InventoryItem> items) implements InventoryMessage {
    public GetData {
      items = List.copyOf(items);
    }

    public String command() {
      return "getdata";
    }
  }

  /** The listed items of a getdata the sender does not have. */
  record NotFound(List<InventoryItem> items) implements InventoryMessage {
    public NotFound {
      items = List.copyOf(items);
    }

    public String command() {
      return "notfound";
    }
  }

  /** getheaders and getblocks share one shape: a block locator and a stop hash (zero: no stop). */
  sealed interface LocatorMessage extends Message {
    int protocolVersion();

    List<Hash> hashes();

    Hash stopHash();

    default void writePayload(ByteWriter writer) {
      writer.writeI32(protocolVersion()).writeVarInt(hashes().size());
      hashes().forEach(writer::writeHash);
      writer.writeHash(stopHash());
    }

    /** Reads the payload and builds the message from its three fields. */
    static <T extends LocatorMessage> T read(String command, ByteReader reader, LocatorFactory<T> factory)
        throws WireException {
      int version = reader.readI32(command + " version");
      int count = reader.readCount(command + " locator", MAX_LOCATOR_HASHES, Hash.SIZE_BYTES);
      Hash[] hashes = new Hash[count];
      for (int i = 0; i < count; i++) {
        hashes[i] = reader.readHash("locator hash");
      }
      return factory.create(version, List.of(hashes), reader.readHash(command + " stop hash"));
    }
  }

  /** Builds a {@link LocatorMessage} from its fields. */
  @FunctionalInterface
  interface LocatorFactory<T extends LocatorMessage> {
    T create(int protocolVersion, List<Hash> hashes, Hash stopHash);
  }

  /** A request for up to 2,000 headers after the first locator hash the receiver has. */
  record GetHeaders(int protocolVersion, List<Hash> hashes, Hash stopHash) implements LocatorMessage {
    public GetHeaders {
      hashes = List.copyOf(hashes);
    }

    public String command() {
      return "getheaders";
    }
  }

  /** A request for an inv of up to 500 block hashes after the first locator hash the receiver has. */
  record GetBlocks(int protocolVersion, List<Hash> hashes, Hash stopHash) implements LocatorMessage {
    public GetBlocks {
      hashes = List.copyOf(hashes);
    }

    public String command() {
      return "getblocks";
    }
  }

  /** Up to 2,000 headers, each followed on the wire by a transaction count that must be zero. */
  record Headers(List<BlockHeader> headers) implements Message {
    public Headers {
      headers = List.copyOf(headers);
    }

    public String command() {
      return "headers";
    }

    public void writePayload(ByteWriter writer) {
      writer.writeVarInt(headers.size());
      for (BlockHeader header : headers) {
        header.write(writer);
        writer.writeU8(0);
      }
    }

    static Headers read(ByteReader reader) throws WireException {
      int count = reader.readCount("headers", MAX_HEADERS, BlockHeader.SIZE_BYTES + 1);
      BlockHeader[] headers = new BlockHeader[count];
      for (int i = 0; i < count; i++) {
        headers[i] = BlockHeader.read(reader);
        if (reader.readVarInt("headers tx count") != 0) {
          throw new WireException.Malformed("headers message entry " + i + " has a non-zero transaction count");
        }
      }
      return new Headers(List.of(headers));
    }
  }

  /** A block, written with witness data (as peers that asked for witness blocks receive it). */
  record BlockMessage(Block block) implements Message {
    public String command() {
      return "block";
    }

    public void writePayload(ByteWriter writer) {
      block.write(writer, true);
    }
  }

  record Tx(Transaction transaction) implements Message {
    public String command() {
      return "tx";
    }

    public void writePayload(ByteWriter writer) {
      transaction.write(writer, true);
    }
  }

  /** BIP133: do not relay transactions below this fee rate (satoshis per 1,000 bytes). */
  record FeeFilter(long feeRateSatoshisPerKb) implements Message {
    public String command() {
      return "feefilter";
    }

    public void writePayload(ByteWriter writer) {
      writer.writeI64(feeRateSatoshisPerKb);
    }
  }

  /** BIP152 compact block negotiation; parsed, and ignored by peerd. */
  record SendCmpct(boolean highBandwidth, long version) implements Message {
    public String command() {
      return "sendcmpct";
    }

    public void writePayload(ByteWriter writer) {
      writer.writeBoolean(highBandwidth).writeI64(version);
    }
  }

  /** A command peerd does not know: reported as such (its payload still obeyed the frame cap). */
  record Unknown(String command, byte[] payloadBytes) implements Message {
    public void writePayload(ByteWriter writer) {
      writer.writeBytes(payloadBytes);
    }
  }
}
