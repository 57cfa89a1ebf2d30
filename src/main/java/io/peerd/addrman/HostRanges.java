package io.peerd.addrman;

import java.util.Optional;

/**
 * The special IPv4 and IPv6 ranges Bitcoin Core's {@code CNetAddr} knows, by their RFC, and the
 * validity, locality and routability rules built on them. Each range is the RFC's; Core is the
 * reference for which of them make a host unroutable.
 */
final class HostRanges {
  private static final byte[] RFC3849_DOCUMENTATION = {0x20, 0x01, 0x0d, (byte) 0xb8};
  private static final byte[] RFC4862_LINK_LOCAL = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0};
  private static final byte[] RFC6052_NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  private static final byte[] RFC6145_SIIT = {0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0};
  private static final byte[] RFC3964_6TO4 = {0x20, 0x02};
  private static final byte[] RFC4380_TEREDO = {0x20, 0x01, 0, 0};
  private static final byte[] HURRICANE_ELECTRIC = {0x20, 0x01, 0x04, 0x70};
  private static final int IPV4_BYTES = 4;

  private HostRanges() {}

  static boolean isLocal(Host host) {
    return switch (host.network()) {
      case IPV4 -> host.byteAt(0) == 127 || host.byteAt(0) == 0;
      case IPV6 -> isIpv6Loopback(host);
      default -> false;
    };
  }

  static boolean isValid(Host host) {
    return switch (host.network()) {
      case IPV4 -> !allBytesAre(host, 0) && !allBytesAre(host, 0xff);
      case IPV6 -> !allBytesAre(host, 0) && !host.startsWith(RFC3849_DOCUMENTATION);
      case CJDNS -> host.byteAt(0) == 0xfc; // every CJDNS address is in fc00::/8
      case TORV3, I2P -> true;
    };
  }

  static boolean isRoutable(Host host) {
    if (!isValid(host) || isLocal(host)) {
      return false;
    }
    return switch (host.network()) {
      case IPV4 -> !isReservedIpv4(host);
      case IPV6 -> !isReservedIpv6(host);
      case TORV3, I2P, CJDNS -> true;
    };
  }

  /**
   * The IPv4 address a routable host stands for: its own, or the one an IPv6 transition address
   * embeds (SIIT, NAT64, 6to4, Teredo), so a host reached over a tunnel groups with its IPv4 network.
   */
  static Optional<byte[]> linkedIpv4(Host host) {
    if (!isRoutable(host)) {
      return Optional.empty();
    }
    byte[] bytes = host.bytes();
    if (host.network() == Network.IPV4) {
      return Optional.of(bytes);
    }
    if (host.network() != Network.IPV6) {
      return Optional.empty();
    }
    if (host.startsWith(RFC6145_SIIT) || host.startsWith(RFC6052_NAT64)) {
      return Optional.of(slice(bytes, 12));
    }
    if (host.startsWith(RFC3964_6TO4)) {
      return Optional.of(slice(bytes, 2));
    }
    if (host.startsWith(RFC4380_TEREDO)) {
      return Optional.of(invert(slice(bytes, 12))); // Teredo stores the client's IPv4 bit-flipped
    }
    return Optional.empty();
  }

  /** 2001:470::/32, Hurricane Electric's tunnel broker, hands out /48s: Core groups it by /36. */
  static boolean isHurricaneElectric(Host host) {
    return host.network() == Network.IPV6 && host.startsWith(HURRICANE_ELECTRIC);
  }

  private static boolean isReservedIpv4(Host host) {
    int a = host.byteAt(0);
    int b = host.byteAt(1);
    int c = host.byteAt(2);
    boolean rfc1918Private = a == 10 || (a == 192 && b == 168) || (a == 172 && b >= 16 && b <= 31);
    boolean rfc2544Benchmark = a == 198 && (b == 18 || b == 19);
    boolean rfc3927LinkLocal = a == 169 && b == 254;
    boolean rfc6598SharedNat = a == 100 && b >= 64 && b <= 127;
    boolean rfc5737Documentation = (a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113);
    return rfc1918Private || rfc2544Benchmark || rfc3927LinkLocal || rfc6598SharedNat || rfc5737Documentation;
  }

  private static boolean isReservedIpv6(Host host) {
    boolean rfc4862LinkLocal = host.startsWith(RFC4862_LINK_LOCAL);
    boolean rfc4193UniqueLocal = (host.byteAt(0) & 0xfe) == 0xfc;
    boolean orchid = host.byteAt(0) == 0x20 && host.byteAt(1) == 0x01 && host.byteAt(2) == 0x00;
    boolean rfc4843Orchid = orchid && (host.byteAt(3) & 0xf0) == 0x10;
    boolean rfc7343OrchidV2 = orchid && (host.byteAt(3) & 0xf0) == 0x20;
    return rfc4862LinkLocal || rfc4193UniqueLocal || rfc4843Orchid || rfc7343OrchidV2;
  }

  private static boolean isIpv6Loopback(Host host) {
    for (int i = 0; i < 15; i++) {
      if (host.byteAt(i) != 0) {
        return false;
      }
    }
    return host.byteAt(15) == 1;
  }

  private static boolean allBytesAre(Host host, int value) {
    for (int i = 0; i < host.network().addressBytes(); i++) {
      if (host.byteAt(i) != value) {
        return false;
      }
    }
    return true;
  }

  private static byte[] slice(byte[] bytes, int from) {
    return java.util.Arrays.copyOfRange(bytes, from, from + IPV4_BYTES);
  }

  private static byte[] invert(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    return bytes;
  }
}
