package io.peerd.peer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Core's per-peer token bucket for gossiped addresses: one token to start, 0.1 more each second
 * up to 1,000, and 1,000 more for each getaddr we send (its answer is ours to take). Each address
 * processed costs a token; the rest of a message is dropped, counted as rate-limited. So a peer
 * cannot flood the address manager, while the answer to our own getaddr passes whole. Addresses
 * are shuffled first, so a sender cannot choose which of its addresses survive.
 *
 * <p>Only the peer's reader thread uses it (it also sends the getaddr).
 */
final class AddressRateLimit {
  static final double TOKENS_PER_SECOND = 0.1;
  static final double MAX_TOKENS = 1_000;
  static final int TOKENS_PER_GETADDR = 1_000;

  private double tokens = 1;
  private long refilledAtNanos;

  AddressRateLimit(long nowNanos) {
    this.refilledAtNanos = nowNanos;
  }

  void getAddrSent() {
    tokens += TOKENS_PER_GETADDR;
  }

  /** The addresses that may be processed now, in random order; the others are dropped. */
  <T> List<T> admit(List<T> addresses, long nowNanos) {
    refill(nowNanos);
    int admitted = (int) Math.min(addresses.size(), Math.floor(tokens));
    tokens -= admitted;
    if (admitted == addresses.size()) {
      return addresses;
    }
    List<T> shuffled = new ArrayList<>(addresses);
    Collections.shuffle(shuffled, ThreadLocalRandom.current());
    return List.copyOf(shuffled.subList(0, admitted));
  }

  private void refill(long nowNanos) {
    double elapsedSeconds = Math.max(0, nowNanos - refilledAtNanos) / 1e9;
    refilledAtNanos = nowNanos;
    if (tokens < MAX_TOKENS) {
      tokens = Math.min(MAX_TOKENS, tokens + elapsedSeconds * TOKENS_PER_SECOND);
    }
  }
}
