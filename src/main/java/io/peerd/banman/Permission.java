package io.peerd.banman;

import java.util.Locale;

/**
 * What a whitelisted peer may do beyond others, with Core's names. peerd acts on {@link #NOBAN}
 * and {@link #ADDR}; Core's others are accepted (a Core config works unchanged) and mean nothing
 * here: peerd has no mempool, no bloom filters and no transaction relay.
 */
public enum Permission {
  /** Never discouraged or banned for misbehaving, never evicted, admitted even when banned. */
  NOBAN,
  /** Its gossiped addresses are not rate-limited. */
  ADDR,
  BLOOMFILTER,
  FORCERELAY,
  RELAY,
  MEMPOOL,
  DOWNLOAD;

  /** Core's name, or an error naming the ones there are. */
  static Permission parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown whitelist permission '" + name
          + "' (known: noban, addr, bloomfilter, forcerelay, relay, mempool, download)");
    }
  }
}
