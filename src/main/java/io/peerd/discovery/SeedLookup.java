package io.peerd.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up DNS seeds, each on a thread of its own (a lookup blocks, and may take seconds), and
 * reports what each answered, with the network's port: at most {@link #MAX_ADDRESSES_PER_SEED}
 * addresses, none for a seed that failed. The report must not block (it enqueues to an actor).
 */
public final class SeedLookup {
  private static final Logger log = LoggerFactory.getLogger(SeedLookup.class);
  /** A seed's answer is one DNS message: a few dozen records in practice. */
  public static final int MAX_ADDRESSES_PER_SEED = 256;

  /** Receives one seed's answer, on its lookup thread. */
  public interface Results {
    void resolved(String seed, List<InetSocketAddress> addresses);
  }

  private final NameResolver resolver;
  private final int port;
  private final ThreadFactory threads;

  /** @param port the network's port, which a seed's nodes listen on */
  public SeedLookup(NameResolver resolver, int port, ThreadFactory threads) {
    this.resolver = resolver;
    this.port = port;
    this.threads = threads;
  }

  /** Starts one lookup per seed and returns at once. */
  public void lookUp(List<String> seeds, Results results) {
    for (String seed : seeds) {
      threads.newThread(() -> results.resolved(seed, resolve(seed))).start();
    }
  }

  private List<InetSocketAddress> resolve(String seed) {
    try {
      List<InetAddress> found = resolver.resolve(seed);
      log.info("DNS seed {} answered {} addresses", seed, found.size());
      return found.stream().limit(MAX_ADDRESSES_PER_SEED).map(ip -> new InetSocketAddress(ip, port)).toList();
    } catch (IOException e) {
      log.info("DNS seed {} did not answer: {}", seed, e.getMessage());
      return List.of();
    }
  }
}
