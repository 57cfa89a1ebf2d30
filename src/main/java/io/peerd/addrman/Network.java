package io.peerd.addrman;

import io.peerd.wire.AddressV2;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The BIP155 networks the address manager keeps. Tor v2 (retired by Tor in 2021) and unknown
 * network ids are not here: addresses on them are refused, as Bitcoin Core ignores them.
 */
public enum Network {
  IPV4(AddressV2.NETWORK_IPV4, 4, true),
  IPV6(AddressV2.NETWORK_IPV6, 16, true),
  TORV3(AddressV2.NETWORK_TORV3, 32, false),
  I2P(AddressV2.NETWORK_I2P, 32, false),
  CJDNS(AddressV2.NETWORK_CJDNS, 16, false);

  /** Every network: the filter that filters nothing. */
  public static final Set<Network> ALL = Collections.unmodifiableSet(EnumSet.allOf(Network.class));
  /** The networks peerd can dial, and the only ones an addr (not addrv2) message can carry. */
  public static final Set<Network> REACHABLE = Collections.unmodifiableSet(EnumSet.of(IPV4, IPV6));

  private final int bip155Id;
  private final int addressBytes;
  private final boolean reachable;

  Network(int bip155Id, int addressBytes, boolean reachable) {
    this.bip155Id = bip155Id;
    this.addressBytes = addressBytes;
    this.reachable = reachable;
  }

  /** The network of a BIP155 id, or empty for Tor v2 and ids peerd does not know. */
  public static Optional<Network> ofBip155(int id) {
    for (Network network : values()) {
      if (network.bip155Id == id) {
        return Optional.of(network);
      }
    }
    return Optional.empty();
  }

  public int bip155Id() {
    return bip155Id;
  }

  /** The fixed length of an address on this network. */
  public int addressBytes() {
    return addressBytes;
  }

  /** Whether peerd can dial addresses on this network (it speaks plain TCP over IP only). */
  public boolean isReachable() {
    return reachable;
  }
}
