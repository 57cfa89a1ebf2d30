package io.peerd.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** The network an address belongs to for per-network limits: its /24 (IPv4) or /64 (IPv6). */
record NetGroup(byte[] prefix) {
  static NetGroup of(InetAddress address) {
    byte[] raw = address.getAddress();
    int prefixBytes = address instanceof Inet4Address ? 3 : 8;
    return new NetGroup(Arrays.copyOf(raw, prefixBytes));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NetGroup group && Arrays.equals(prefix, group.prefix);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(prefix);
  }

  /** As an operator writes it, 10.1.2.0/24 or 2001:db8:0:1:0:0:0:0/64: the record's default would print the array's identity. */
  @Override
  public String toString() {
    byte[] full = Arrays.copyOf(prefix, prefix.length == 3 ? 4 : 16);
    try {
      return InetAddress.getByAddress(full).getHostAddress() + "/" + prefix.length * 8;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a " + full.length + "-byte address is always valid", e);
    }
  }
}
