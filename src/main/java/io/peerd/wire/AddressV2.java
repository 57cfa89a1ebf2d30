package io.peerd.wire;

import java.util.Arrays;

/**
 * A BIP155 (addrv2) address: time, service bits (CompactSize), network id, the address bytes
 * whose length the network id fixes, and a big-endian port. Unknown network ids are kept
 * (BIP155 says to ignore, not refuse, them) with any length up to 512 bytes.
 */
public record AddressV2(long timeSeconds, long services, int networkId, byte[] address, int port) {
  public static final int NETWORK_IPV4 = 1;
  public static final int NETWORK_IPV6 = 2;
  public static final int NETWORK_TORV2 = 3;
  public static final int NETWORK_TORV3 = 4;
  public static final int NETWORK_I2P = 5;
  public static final int NETWORK_CJDNS = 6;
  public static final int MAX_ADDRESS_BYTES = 512;
  /** time (4) + services (1) + network (1) + length (1) + port (2), with an empty address. */
  static final int MIN_SIZE_BYTES = 9;

  public AddressV2 {
    if (networkId < 0 || networkId > 0xff || port < 0 || port > 0xffff || address.length > MAX_ADDRESS_BYTES) {
      throw new IllegalArgumentException("addrv2 needs a network id in 0..255, a port in 0..65535 and at most "
          + MAX_ADDRESS_BYTES + " address bytes");
    }
    address = address.clone();
  }

  @Override
  public byte[] address() {
    return address.clone();
  }

  /** The fixed address length of a known network, or -1 for an unknown one. */
  static int addressLength(int networkId) {
    return switch (networkId) {
      case NETWORK_IPV4 -> 4;
      case NETWORK_IPV6, NETWORK_CJDNS -> 16;
      case NETWORK_TORV2 -> 10;
      case NETWORK_TORV3, NETWORK_I2P -> 32;
      default -> -1;
    };
  }

  static AddressV2 read(ByteReader reader) throws WireException {
    long time = reader.readU32("addrv2 time");
    long services = reader.readVarInt("addrv2 services");
    int networkId = reader.readU8("addrv2 network");
    byte[] address = reader.readBytes(readAddressLength(reader), "addrv2 address");
    int expected = addressLength(networkId);
    if (expected >= 0 && address.length != expected) {
      throw new WireException.Malformed("addrv2 network " + networkId + " needs " + expected
          + "-byte addresses, got " + address.length);
    }
    return new AddressV2(time, services, networkId, address, reader.readU16BigEndian("addrv2 port"));
  }

  /**
   * BIP155 calls an address longer than 512 bytes invalid encoding, not a count over a limit,
   * so it is {@link WireException.Malformed} rather than {@link WireException.LimitExceeded}.
   */
  private static int readAddressLength(ByteReader reader) throws WireException {
    long length = reader.readVarInt("addrv2 address length");
    if (Long.compareUnsigned(length, MAX_ADDRESS_BYTES) > 0) {
      throw new WireException.Malformed("addrv2 address of " + Long.toUnsignedString(length)
          + " bytes exceeds " + MAX_ADDRESS_BYTES);
    }
    return (int) length;
  }

  void write(ByteWriter writer) {
    writer.writeU32(timeSeconds).writeVarInt(services).writeU8(networkId).writeVarBytes(address)
        .writeU16BigEndian(port);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressV2 that && timeSeconds == that.timeSeconds && services == that.services
        && networkId == that.networkId && port == that.port && Arrays.equals(address, that.address);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(address) * 31 + port;
  }
}
