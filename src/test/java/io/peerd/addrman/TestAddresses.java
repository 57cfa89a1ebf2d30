package io.peerd.addrman;

import io.peerd.wire.AddressV2;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Addresses, keys and a manual clock for the address manager's tests. Parses IP literals only (no lookups). */
final class TestAddresses {
  static final long START_SECONDS = 1_700_000_000L;
  static final int PORT = 8333;

  private TestAddresses() {}

  static Host host(String ipLiteral) {
    try {
      return Host.of(InetAddress.getByName(ipLiteral));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ipLiteral, e);
    }
  }

  static PeerAddress address(String ipLiteral) {
    return new PeerAddress(host(ipLiteral), PORT);
  }

  /** A publicly routable IPv4 address in its own /16 for each {@code index} below 15,360. */
  static PeerAddress publicAddress(int index) {
    return address((20 + index / 256) + "." + (index % 256) + ".1.1");
  }

  /** A publicly routable IPv4 host in its own /16 for each {@code index} below 15,360, apart from {@link #publicAddress}'s. */
  static Host source(int index) {
    return host((80 + index / 256) + "." + (index % 256) + ".9.9");
  }

  static AddressV2 wire(PeerAddress address, long timeSeconds) {
    return new AddressV2(timeSeconds, 1, address.network().bip155Id(), address.host().bytes(), address.port());
  }

  static List<AddressV2> wire(List<PeerAddress> addresses, long timeSeconds) {
    return addresses.stream().map(a -> wire(a, timeSeconds)).toList();
  }

  static Host hostOf(Network network, String hex) {
    return new Host(network, HexFormat.of().parseHex(hex));
  }

  static byte[] key(int fill) {
    byte[] key = new byte[AddressManager.KEY_BYTES];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  static AddressManager manager(RoutingPolicy policy, AtomicLong clock, long seed) {
    return AddressManager.create(policy, key(7), new Random(seed), clock::get);
  }

  static AtomicLong clock() {
    return new AtomicLong(START_SECONDS);
  }
}
