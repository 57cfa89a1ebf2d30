package io.peerd.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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

  /** For records whose command is a field: another command would decode as a different type. */
  private static void requireOneOf(Set<String> commands, String command) {
    if (!commands.contains(command)) {
      throw new IllegalArgumentException("'" + command + "' is not one of " + commands);
    }
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

  /** A message with no payload; the command is all it says. */
  record Empty(String command) implements Message {
    /** Declared before the constants below, which the constructor checks against it. */
    private static final Set<String> COMMANDS = Set.of("verack", "getaddr", "sendaddrv2", "sendheaders", "wtxidrelay");
    public static final Empty VERACK = new Empty("verack");
    public static final Empty GETADDR = new Empty("getaddr");
    public static final Empty SENDADDRV2 = new Empty("sendaddrv2");
    public static final Empty SENDHEADERS = new Empty("sendheaders");
    public static final Empty WTXIDRELAY = new Empty("wtxidrelay");

    public Empty {
      requireOneOf(COMMANDS, command);
    }

    public void writePayload(ByteWriter writer) {}
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
  record Inventory(String command, List<InventoryItem> items) implements Message {
    public static final String INV = "inv";
    public static final String GETDATA = "getdata";
    public static final String NOTFOUND = "notfound";

    public Inventory {
      requireOneOf(Set.of(INV, GETDATA, NOTFOUND), command);
      items = List.copyOf(items);
    }

    public void writePayload(ByteWriter writer) {
      writer.writeVarInt(items.size());
      for (InventoryItem item : items) {
        writer.writeU32(item.type()).writeHash(item.hash());
      }
    }

    static Inventory read(String command, ByteReader reader) throws WireException {
      int count = reader.readCount(command + " entries", MAX_INVENTORY_ENTRIES, InventoryItem.SIZE_BYTES);
      InventoryItem[] items = new InventoryItem[count];
      for (int i = 0; i < count; i++) {
        items[i] = new InventoryItem(reader.readU32("inventory type"), reader.readHash("inventory hash"));
      }
      return new Inventory(command, List.of(items));
    }
  }

  /** getheaders and getblocks share one shape: a block locator and a stop hash (zero: no stop). */
  record Locator(String command, int protocolVersion, List<Hash> hashes, Hash stopHash) implements Message {
    public static final String GETHEADERS = "getheaders";
    public static final String GETBLOCKS = "getblocks";

    public Locator {
      requireOneOf(Set.of(GETHEADERS, GETBLOCKS), command);
      hashes = List.copyOf(hashes);
    }

    public void writePayload(ByteWriter writer) {
      writer.writeI32(protocolVersion).writeVarInt(hashes.size());
      hashes.forEach(writer::writeHash);
      writer.writeHash(stopHash);
    }

    static Locator read(String command, ByteReader reader) throws WireException {
      int version = reader.readI32(command + " version");
      int count = reader.readCount(command + " locator", MAX_LOCATOR_HASHES, Hash.SIZE_BYTES);
      Hash[] hashes = new Hash[count];
      for (int i = 0; i < count; i++) {
        hashes[i] = reader.readHash("locator hash");
      }
      return new Locator(command, version, List.of(hashes), reader.readHash(command + " stop hash"));
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
