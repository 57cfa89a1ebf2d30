package io.peerd.server;

import java.net.Inet4Address;
import java.net.InetAddress;
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
}
