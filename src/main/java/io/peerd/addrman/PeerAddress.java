package io.peerd.addrman;

import io.peerd.wire.AddressV2;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A peer's address: a host and a port, the identity of an entry in the address manager (Bitcoin
 * Core's {@code CService}). Two ports on one host are two entries.
 */
public record PeerAddress(Host host, int port) {
  public PeerAddress {
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  /** The address of a BIP155 entry, or empty if its host is one the manager does not keep ({@link Host#fromWire}). */
  public static Optional<PeerAddress> fromWire(AddressV2 address) {
    return Host.fromWire(address.networkId(), address.address()).map(host -> new PeerAddress(host, address.port()));
  }

  /** The address of a resolved socket address, such as a connected peer's. */
  public static PeerAddress of(InetSocketAddress address) {
    if (address.isUnresolved()) {
      throw new IllegalArgumentException("address must be resolved: " + address);
    }
    return new PeerAddress(Host.of(address.getAddress()), address.getPort());
  }

  public Network network() {
    return host.network();
  }

  /** Whether peerd can dial this address: the dialer skips addresses on other networks. */
  public boolean isReachable() {
    return host.network().isReachable();
  }

  /** The socket address to dial, for a reachable address only. */
  public Optional<InetSocketAddress> toSocketAddress() {
    return host.toInetAddress().map(ip -> new InetSocketAddress(ip, port));
  }

  @Override
  public String toString() {
    return host.network() == Network.IPV6 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
