package io.peerd.banman;

import io.peerd.net.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network, as setban and --whitelist write it: an address alone (a /32 or /128)
 * or an address with a prefix length ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). Host bits are
 * cleared, so equal networks compare equal however written. An IPv4 subnet never contains an
 * IPv6 address, as in Core.
 */
public record Subnet(byte[] network, int prefixBits) {
  public Subnet {
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("an IPv4 or IPv6 address has 4 or 16 bytes");
    }
    if (prefixBits < 0 || prefixBits > network.length * 8) {
      throw new IllegalArgumentException("prefix /" + prefixBits + " outside 0.." + network.length * 8);
    }
    network = masked(network, prefixBits);
  }

  /** Parses {@code ADDRESS} or {@code ADDRESS/BITS}; only numeric addresses, never a name lookup. */
  public static Subnet parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = HostPort.numericAddress(address).getAddress();
    int bits = bytes.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a prefix length: " + text);
      }
    }
    return new Subnet(bytes, bits);
  }

  /** The network of one address. */
  public static Subnet of(InetAddress address) {
    byte[] bytes = address.getAddress();
    return new Subnet(bytes, bytes.length * 8);
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefixBits), network);
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Subnet subnet && prefixBits == subnet.prefixBits && Arrays.equals(network, subnet.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixBits;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixBits;
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes always make an address", e);
    }
  }

  private static byte[] masked(byte[] address, int prefixBits) {
    byte[] result = address.clone();
    for (int bit = prefixBits; bit < result.length * 8; bit++) {
      result[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return result;
  }
}
