package io.peerd.node;

import io.peerd.net.HostPort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The network of a peer's address under Bitcoin Core's names: "ipv4" or "ipv6", or
 * "not_publicly_routable" for the ranges Core's {@code IsRoutable} refuses (private, loopback,
 * link-local, shared, benchmarking and documentation ranges, unique local IPv6, ORCHID), so
 * getpeerinfo calls a loopback peer what Core calls it.
 */
final class Networks {
  static final String UNROUTABLE = "not_publicly_routable";
  private static final List<Range> UNROUTABLE_RANGES = Stream.of(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.2.0/24",
      "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "255.255.255.255/32",
      "::/128", "::1/128", "fc00::/7", "fe80::/64", "2001:10::/28", "2001:20::/28", "2001:db8::/32")
      .map(Range::parse).toList();

  private Networks() {}

  static String name(InetAddress address) {
    if (UNROUTABLE_RANGES.stream().anyMatch(range -> range.contains(address))) {
      return UNROUTABLE;
    }
    return address instanceof Inet4Address ? "ipv4" : "ipv6";
  }

  /** An address prefix, e.g. 10.0.0.0/8. */
  private record Range(byte[] prefix, int bits) {
    static Range parse(String cidr) {
      int slash = cidr.indexOf('/');
      return new Range(HostPort.parse(cidr.substring(0, slash), 0).getAddress().getAddress(),
          Integer.parseInt(cidr.substring(slash + 1)));
    }

    boolean contains(InetAddress address) {
      byte[] raw = address.getAddress();
      if (raw.length != prefix.length) {
        return false;
      }
      int wholeBytes = bits / 8;
      if (!Arrays.equals(raw, 0, wholeBytes, prefix, 0, wholeBytes)) {
        return false;
      }
      int restBits = bits % 8;
      int mask = 0xff << (8 - restBits) & 0xff;
      return restBits == 0 || (raw[wholeBytes] & mask) == (prefix[wholeBytes] & mask);
    }
  }
}
