package io.peerd.addrman;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A host on one of the {@link Network}s: the network and its fixed-length address bytes, without
 * a port (Bitcoin Core's {@code CNetAddr}). An address's source (the peer that told us about it)
 * is a host; a dialable address is a {@link PeerAddress}, a host and a port.
 *
 * <p>Whether a host is valid, local or publicly routable follows Core's {@code CNetAddr} rules;
 * {@link HostRanges} holds the special ranges.
 */
public record Host(Network network, byte[] bytes) {
  private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
  /** OnionCat's Tor v2 range fd87:d87e:eb43::/48: legacy addr messages carry Tor v2 hosts in it. */
  private static final byte[] TORV2_IN_IPV6_PREFIX = {(byte) 0xfd, (byte) 0x87, (byte) 0xd8, 0x7e, (byte) 0xeb, 0x43};
  /** Core's fd6b:88c0:8724::/48, names (DNS seeds) it stores as fake hosts; never a real host. */
  private static final byte[] INTERNAL_IN_IPV6_PREFIX = {(byte) 0xfd, 0x6b, (byte) 0x88, (byte) 0xc0, (byte) 0x87, 0x24};

  public Host {
    if (bytes.length != network.addressBytes()) {
      throw new IllegalArgumentException(network + " hosts have " + network.addressBytes() + " bytes, not "
          + bytes.length);
    }
    if (network == Network.IPV6 && hasPrefix(bytes, IPV4_MAPPED_PREFIX)) {
      throw new IllegalArgumentException("an IPv4-mapped IPv6 address is the IPv4 host: one identity per host");
    }
    bytes = bytes.clone();
  }

  /**
   * The host of a BIP155 network id and address, or empty when the address manager does not keep
   * it: Tor v2, an unknown network, a length that does not fit the network, or an IPv6 form of a
   * Tor v2 or Core-internal name. An IPv4-mapped IPv6 address (::ffff:a.b.c.d, as legacy addr
   * messages carry every IPv4 address) becomes the IPv4 host, so each host has one identity.
   */
  public static Optional<Host> fromWire(int networkId, byte[] address) {
    Optional<Network> network = Network.ofBip155(networkId);
    if (network.isEmpty() || address.length != network.get().addressBytes()) {
      return Optional.empty();
    }
    if (network.get() != Network.IPV6) {
      return Optional.of(new Host(network.get(), address));
    }
    if (hasPrefix(address, IPV4_MAPPED_PREFIX)) {
      return Optional.of(new Host(Network.IPV4, Arrays.copyOfRange(address, IPV4_MAPPED_PREFIX.length, 16)));
    }
    if (hasPrefix(address, TORV2_IN_IPV6_PREFIX) || hasPrefix(address, INTERNAL_IN_IPV6_PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(new Host(Network.IPV6, address));
  }

  /** The host of an IP address, such as a connected peer's (the JDK already maps ::ffff:a.b.c.d to IPv4). */
  public static Host of(InetAddress address) {
    return new Host(address instanceof Inet4Address ? Network.IPV4 : Network.IPV6, address.getAddress());
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The byte at {@code index}, unsigned, without copying the address. */
  int byteAt(int index) {
    return bytes[index] & 0xff;
  }

  /** Core's {@code IsValid}: could name a real host (not ::, 0.0.0.0, a broadcast or a documentation address). */
  public boolean isValid() {
    return HostRanges.isValid(this);
  }

  /** Core's {@code IsLocal}: a loopback host (127.0.0.0/8, 0.0.0.0/8, ::1). */
  public boolean isLocal() {
    return HostRanges.isLocal(this);
  }

  /** Core's {@code IsRoutable}: valid and reachable on the public internet (not private, local, reserved). */
  public boolean isRoutable() {
    return HostRanges.isRoutable(this);
  }

  /** Whether the address starts with {@code prefix}, without copying it. */
  boolean startsWith(byte[] prefix) {
    return hasPrefix(bytes, prefix);
  }

  private static boolean hasPrefix(byte[] address, byte[] prefix) {
    return address.length >= prefix.length && Arrays.equals(address, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Host that && network == that.network && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return network.hashCode() * 31 + Arrays.hashCode(bytes);
  }

  /** The IP address of an IPv4 or IPv6 host, the only ones peerd can dial; empty for the others. */
  public Optional<InetAddress> toInetAddress() {
    if (!network.isReachable()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an IP address", e);
    }
  }

  @Override
  public String toString() {
    return toInetAddress().map(InetAddress::getHostAddress)
        .orElseGet(() -> network.name().toLowerCase(Locale.ROOT) + ":" + HexFormat.of().formatHex(bytes));
  }
}
