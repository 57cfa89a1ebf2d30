package io.peerd.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which inbound connection to drop when the inbound slots are full and another connects, as
 * Bitcoin Core chooses (its SelectNodeToEvict): an attacker must beat honest peers at every
 * measure at once to keep them out. Protected, in turn: 4 by a keyed hash of their network group
 * (an attacker cannot choose which), the 8 with the lowest ping, the 4 that last sent a new
 * transaction, up to 8 block-relay-only peers that last sent a new block, the 4 that last sent a
 * new block, then half of the rest by time connected (up to half of those places kept for peers
 * on local or anonymity networks, whose pings compare badly). Of the rest, discouraged peers go first;
 * then the youngest connection of the network group with the most connections. A connection
 * still in its handshake is a candidate like any other: it has no ping and sent nothing, so it
 * goes before peers that proved useful.
 *
 * <p>Pure: the server builds the candidates (inbound, without the noban permission) and acts on
 * the answer.
 */
final class Eviction {
  static final int PROTECTED_BY_GROUP = 4;
  static final int PROTECTED_BY_PING = 8;
  static final int PROTECTED_BY_TRANSACTIONS = 4;
  static final int PROTECTED_BY_BLOCK_RELAY = 8;
  static final int PROTECTED_BY_BLOCKS = 4;

  /**
   * One inbound connection as eviction sees it. Times are milliseconds on one clock; 0 for "never".
   *
   * @param keyedGroup the network group hashed with a per-node secret
   * @param minPingNanos the lowest ping round trip seen, {@link Long#MAX_VALUE} before any
   * @param relaysTransactions the peer asked for transaction relay
   * @param fullNode the peer serves blocks (the services sync needs)
   * @param disadvantaged on a local or anonymity network, whose pings and uptimes compare badly
   * @param discouraged misbehaved before: evicted first
   */
  record Candidate(long peerId, long connectedMillis, long minPingNanos, long lastBlockMillis,
      long lastTransactionMillis, boolean relaysTransactions, boolean fullNode, long keyedGroup,
      boolean disadvantaged, boolean discouraged) {}

  private Eviction() {}

  /** The connection to drop, or empty when every candidate is protected. */
  static Optional<Candidate> select(List<Candidate> candidates) {
    List<Candidate> open = new ArrayList<>(candidates);
    protect(open, Comparator.comparingLong(Candidate::keyedGroup).reversed(), PROTECTED_BY_GROUP, any());
    protect(open, Comparator.comparingLong(Candidate::minPingNanos), PROTECTED_BY_PING, any());
    protect(open, Comparator.comparingLong(Candidate::lastTransactionMillis).reversed(), PROTECTED_BY_TRANSACTIONS,
        any());
    protect(open, Comparator.comparingLong(Candidate::lastBlockMillis).reversed(), PROTECTED_BY_BLOCK_RELAY,
        c -> !c.relaysTransactions() && c.fullNode());
    protect(open, Comparator.comparingLong(Candidate::lastBlockMillis).reversed(), PROTECTED_BY_BLOCKS, any());
    protectHalfByUptime(open);
    if (open.isEmpty()) {
      return Optional.empty();
    }
    if (open.stream().anyMatch(Candidate::discouraged)) {
      open.removeIf(c -> !c.discouraged());
    }
    return Optional.of(youngestOfTheLargestGroup(open));
  }

  /**
   * Removes from {@code open} the first {@code count} candidates in {@code best} order among those
   * that {@code eligible}; ties keep the younger connection unprotected.
   */
  private static void protect(List<Candidate> open, Comparator<Candidate> best, int count,
      Predicate<Candidate> eligible) {
    open.stream().filter(eligible)
        .sorted(best.thenComparingLong(Candidate::connectedMillis))
        .limit(count)
        .toList()
        .forEach(open::remove);
  }

  /** Half of the rest by time connected, up to half of those from the disadvantaged. */
  private static void protectHalfByUptime(List<Candidate> open) {
    int half = open.size() / 2;
    Comparator<Candidate> oldestFirst = Comparator.comparingLong(Candidate::connectedMillis);
    int beforeDisadvantaged = open.size();
    protect(open, oldestFirst, half / 2, Candidate::disadvantaged);
    int protectedSoFar = beforeDisadvantaged - open.size();
    protect(open, oldestFirst, half - protectedSoFar, any());
  }

  /** The group with the most connections (ties: the one with the youngest connection), its youngest. */
  private static Candidate youngestOfTheLargestGroup(List<Candidate> open) {
    Map<Long, List<Candidate>> groups = new HashMap<>();
    open.forEach(c -> groups.computeIfAbsent(c.keyedGroup(), g -> new ArrayList<>()).add(c));
    Comparator<Candidate> youngest = Comparator.comparingLong(Candidate::connectedMillis);
    List<Candidate> largest = groups.values().stream()
        .max(Comparator.<List<Candidate>>comparingInt(List::size)
            .thenComparing(group -> group.stream().max(youngest).orElseThrow(), youngest))
        .orElseThrow();
    return largest.stream().max(youngest).orElseThrow();
  }

  private static Predicate<Candidate> any() {
    return c -> true;
  }
}
