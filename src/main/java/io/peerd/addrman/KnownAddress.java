package io.peerd.addrman;

import io.peerd.wire.AddressV2;

/**
 * What the address manager knows of one address, as it hands it out: for a dial
 * ({@link AddressManager#select}) or for a getaddr answer ({@link AddressManager#addresses}).
 *
 * @param services the service bits last heard for it
 * @param timeSeconds when it was last seen, as gossiped (Core's {@code nTime})
 * @param lastTrySeconds when we last tried to connect to it, 0 if never
 */
public record KnownAddress(PeerAddress address, long services, long timeSeconds, long lastTrySeconds) {
  /** The addrv2 entry to send to a peer. */
  public AddressV2 toWire() {
    return new AddressV2(timeSeconds, services, address.network().bip155Id(), address.host().bytes(),
        address.port());
  }
}
