package io.peerd.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Addresses learned from addr messages, at most {@code capacity}; the oldest are forgotten
 * first. A first cut before the bucketed address manager: no source grouping, no tried/new split.
 * Owned by the server thread.
 */
final class AddressBook {
  private final int capacity;
  private final Random random;
  private final Map<InetSocketAddress, Long> lastSeenSeconds;

  AddressBook(int capacity, Random random) {
    this.capacity = capacity;
    this.random = random;
    this.lastSeenSeconds = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
        return size() > AddressBook.this.capacity;
      }
    };
  }

  void add(InetSocketAddress address, long seenSeconds) {
    if (address.getPort() == 0 || address.getAddress().isAnyLocalAddress() || address.getAddress().isMulticastAddress()) {
      return;
    }
    lastSeenSeconds.merge(address, seenSeconds, Math::max);
  }

  /** A random address that passes {@code usable}, trying a bounded number of candidates. */
  Optional<InetSocketAddress> pick(Predicate<InetSocketAddress> usable) {
    List<InetSocketAddress> candidates = new ArrayList<>(lastSeenSeconds.keySet());
    Collections.shuffle(candidates, random);
    return candidates.stream().limit(64).filter(usable).findFirst();
  }

  /** Up to {@code max} random entries with their last-seen times, for a getaddr answer. */
  List<Map.Entry<InetSocketAddress, Long>> sample(int max) {
    List<Map.Entry<InetSocketAddress, Long>> entries = new ArrayList<>(lastSeenSeconds.entrySet());
    Collections.shuffle(entries, random);
    return List.copyOf(entries.subList(0, Math.min(max, entries.size())));
  }

  int size() {
    return lastSeenSeconds.size();
  }
}
