package io.peerd.testing;

import io.peerd.discovery.NameResolver;
import io.peerd.discovery.SeedLookup;
import java.io.IOException;

/** For servers built without a node: DNS seeds that, if ever asked, answer nothing (no lookup leaves the machine). */
public final class NoDns {
  public static final NameResolver RESOLVER = host -> {
    throw new IOException("no DNS in tests: " + host);
  };
  public static final SeedLookup SEEDS = new SeedLookup(RESOLVER, 0, Thread.ofVirtual().factory());

  private NoDns() {}
}
