package io.peerd.addrman;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The network group of a host, as Bitcoin Core's {@code NetGroupManager::GetGroup} (without an
 * asmap): hosts in one group are likely run by one operator, so the address tables spread
 * addresses by group and the server can keep its outbound peers, and what it evicts, diverse.
 *
 * <ul>
 *   <li>IPv4: the /16; an IPv6 address embedding an IPv4 one (SIIT, NAT64, 6to4, Teredo) is in
 *       that IPv4 address's /16;
 *   <li>IPv6: the /32 (Hurricane Electric's tunnel range 2001:470::/32: the /36);
 *   <li>Tor v3 and I2P: the first 4 bits of the key-derived address; CJDNS: the 4 bits after
 *       its constant first byte;
 *   <li>every local host is one group, and every other unroutable host one more.
 * </ul>
 * The first byte is the group's class: the BIP155 network id, or a class of its own for local
 * and for unroutable hosts, so no two kinds of group can be equal.
 */
public record NetworkGroup(byte[] bytes) {
  private static final byte UNROUTABLE_CLASS = 0;
  private static final byte LOCAL_CLASS = (byte) 0xff;
  private static final int IPV4_GROUP_BYTES = 2;

  public NetworkGroup {
    bytes = bytes.clone();
  }

  public static NetworkGroup of(Host host) {
    if (host.isLocal()) {
      return new NetworkGroup(new byte[] {LOCAL_CLASS});
    }
    if (!host.isRoutable()) {
      return new NetworkGroup(new byte[] {UNROUTABLE_CLASS});
    }
    Optional<byte[]> ipv4 = HostRanges.linkedIpv4(host);
    if (ipv4.isPresent()) {
      byte[] group = new byte[1 + IPV4_GROUP_BYTES];
      group[0] = (byte) Network.IPV4.bip155Id();
      System.arraycopy(ipv4.get(), 0, group, 1, IPV4_GROUP_BYTES);
      return new NetworkGroup(group);
    }
    return switch (host.network()) {
      case IPV6 -> prefix(host, HostRanges.isHurricaneElectric(host) ? 36 : 32);
      case TORV3, I2P -> prefix(host, 4);
      case CJDNS -> prefix(host, 12);
      case IPV4 -> throw new AssertionError("a routable IPv4 host always has a linked IPv4 address");
    };
  }

  /**
   * The class byte and the first {@code bits} bits of the host, the bits past them in the last
   * byte set to 1 (so the group does not depend on them).
   */
  private static NetworkGroup prefix(Host host, int bits) {
    assert bits > 0 && bits < host.network().addressBytes() * 8 : bits + " bits of a " + host.network() + " host";
    int wholeBytes = bits / 8;
    int partialBits = bits % 8;
    byte[] group = new byte[1 + wholeBytes + (partialBits > 0 ? 1 : 0)];
    group[0] = (byte) host.network().bip155Id();
    for (int i = 0; i < wholeBytes; i++) {
      group[1 + i] = (byte) host.byteAt(i);
    }
    if (partialBits > 0) {
      group[1 + wholeBytes] = (byte) (host.byteAt(wholeBytes) | ((1 << (8 - partialBits)) - 1));
    }
    return new NetworkGroup(group);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NetworkGroup that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "group:" + HexFormat.of().formatHex(bytes);
  }
}
