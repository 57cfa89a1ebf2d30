package io.peerd.addrman;

import io.peerd.chain.NetworkParameters;

/**
 * Which addresses the address manager accepts. On the public networks only publicly routable
 * ones (Core's {@code IsRoutable}): a private or loopback address learned from a stranger is
 * someone else's LAN, or bait. On regtest every valid address, so nodes on one machine or one
 * private network can gossip their addresses to each other.
 *
 * <p>Either way port 0 is refused, nothing listens there, except on I2P: its addresses have no
 * port (SAM 3.1), and Core gossips them with port 0.
 */
public enum RoutingPolicy {
  /** Publicly routable hosts only: mainnet, testnet3, testnet4, signet. */
  STRICT,
  /** Any valid host, loopback and private ranges included: regtest. */
  PERMISSIVE;

  public static RoutingPolicy forNetwork(NetworkParameters network) {
    return network == NetworkParameters.REGTEST ? PERMISSIVE : STRICT;
  }

  public boolean accepts(PeerAddress address) {
    if (address.port() == 0 && address.network() != Network.I2P) {
      return false;
    }
    return this == STRICT ? address.host().isRoutable() : address.host().isValid();
  }
}
