package io.peerd.server;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Whether an address may be dialed now: never our own address, nor a peer already connected or
 * being dialed, nor, unless the operator asked for it, a banned or discouraged IP. It owns
 * nothing: it reads the server's {@link Registry} and {@link Bans}.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class DialPolicy {
  private final InetSocketAddress listenAddress;
  private final Registry registry;
  private final Bans bans;

  DialPolicy(InetSocketAddress listenAddress, Registry registry, Bans bans) {
    this.listenAddress = listenAddress;
    this.registry = registry;
    this.bans = bans;
  }

  /** Why the server must not dial {@code address} of its own choice now, if it must not. */
  Optional<String> automaticDialRefusal(InetSocketAddress address) {
    Optional<String> refusal = operatorDialRefusal(address);
    if (refusal.isEmpty() && bans.isBanned(address.getAddress())) {
      return Optional.of("banned");
    }
    if (refusal.isEmpty() && bans.isDiscouraged(address.getAddress())) {
      return Optional.of("discouraged");
    }
    return refusal;
  }

  /**
   * Why an address the operator asked for (a persistent peer, addnode onetry) must not be dialed
   * now, if it must not. It is dialed even when discouraged, as in Bitcoin Core: the operator
   * asked for it.
   */
  Optional<String> operatorDialRefusal(InetSocketAddress address) {
    if (address.equals(listenAddress) || registry.isSelf(address)) {
      return Optional.of("it is our own address");
    }
    if (registry.hasLive(address)) {
      return Optional.of("already connected");
    }
    if (registry.isDialing(address)) {
      return Optional.of("already being dialed");
    }
    return Optional.empty();
  }
}
