package io.peerd.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A legacy (pre-BIP155) network address: service bits, a 16-byte IPv6 (or IPv4-mapped) address
 * and a big-endian port, as version and addr messages carry it. 26 bytes on the wire.
 */
public record NetworkAddress(long services, byte[] ip16, int port) {
  public static final int SIZE_BYTES = 26;
  private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  public NetworkAddress {
    if (ip16.length != 16 || port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("address needs 16 bytes and a port in 0..65535");
    }
    ip16 = ip16.clone();
  }

  /** The wire form of a resolved socket address; IPv4 addresses become IPv4-mapped IPv6. */
  public static NetworkAddress of(InetSocketAddress socket, long services) {
    if (socket.isUnresolved()) {
      throw new IllegalArgumentException("address must be resolved: " + socket);
    }
    return new NetworkAddress(services, toIp16(socket.getAddress()), socket.getPort());
  }

  static NetworkAddress read(ByteReader reader) throws WireException {
    long services = reader.readI64("address services");
    byte[] ip = reader.readBytes(16, "address ip");
    return new NetworkAddress(services, ip, reader.readU16BigEndian("address port"));
  }

  void write(ByteWriter writer) {
    writer.writeI64(services).writeBytes(ip16).writeU16BigEndian(port);
  }

  @Override
  public byte[] ip16() {
    return ip16.clone();
  }

  /** The IP address: an {@link java.net.Inet4Address} when the 16 bytes are IPv4-mapped. */
  public InetAddress toInetAddress() {
    boolean mapped = Arrays.equals(ip16, 0, 12, IPV4_MAPPED_PREFIX, 0, 12);
    byte[] ip = mapped ? Arrays.copyOfRange(ip16, 12, 16) : ip16.clone();
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(toInetAddress(), port);
  }

  private static byte[] toIp16(InetAddress address) {
    byte[] raw = address.getAddress();
    if (raw.length == 16) {
      return raw;
    }
    byte[] mapped = Arrays.copyOf(IPV4_MAPPED_PREFIX, 16);
    System.arraycopy(raw, 0, mapped, 12, 4);
    return mapped;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NetworkAddress that && services == that.services && port == that.port
        && Arrays.equals(ip16, that.ip16);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ip16) * 31 + port;
  }

  @Override
  public String toString() {
    return toSocketAddress() + "/services=" + Long.toHexString(services);
  }
}
