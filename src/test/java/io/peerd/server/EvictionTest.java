package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Core's eviction order: who is protected, and who goes when nobody measures better. */
class EvictionTest {
  private static final long NEVER = 0;
  private static final long NO_PING = Long.MAX_VALUE;

  /** A connection that sent nothing and answered no ping: an attacker's silent socket, or one in its handshake. */
  private static Eviction.Candidate silent(long id, long connectedMillis, long group) {
    return new Eviction.Candidate(id, connectedMillis, NO_PING, NEVER, NEVER, true, false, group, false, false);
  }

  private static List<Eviction.Candidate> silentFromDistinctGroups(int count) {
    return LongStream.range(0, count).mapToObj(i -> silent(i, 1_000 + i, 10_000 + i)).toList();
  }

  @Test
  void nobodyIsEvictedWhenEveryCandidateIsProtected() {
    assertThat(Eviction.select(List.of())).isEmpty();
    assertThat(Eviction.select(silentFromDistinctGroups(Eviction.PROTECTED_BY_GROUP))).isEmpty();
  }

  /** Issue 12: 125 silent sockets from 125 networks must not keep an honest peer out. */
  @Test
  void silentSocketsGoBeforeAPeerThatAnswersPingsAndSendsBlocks() {
    List<Eviction.Candidate> candidates = new ArrayList<>(silentFromDistinctGroups(125));
    Eviction.Candidate honest = new Eviction.Candidate(999, 5_000, 40_000_000, 4_000, NEVER, true, true, 7, false,
        false);
    candidates.add(honest);

    for (int round = 0; round < 100; round++) {
      Eviction.Candidate evicted = Eviction.select(candidates).orElseThrow();
      assertThat(evicted).isNotEqualTo(honest);
      candidates.remove(evicted);
    }
  }

  @Test
  void theYoungestConnectionOfTheLargestGroupGoes() {
    List<Eviction.Candidate> candidates = new ArrayList<>(silentFromDistinctGroups(40));
    Eviction.Candidate crowdOld = silent(100, 1, 42);
    Eviction.Candidate crowdYoung = silent(101, 9_000, 42);
    Eviction.Candidate crowdMiddle = silent(102, 5_000, 42);
    candidates.addAll(List.of(crowdOld, crowdYoung, crowdMiddle));

    assertThat(Eviction.select(candidates)).contains(crowdYoung);
  }

  @Test
  void aDiscouragedPeerGoesFirst() {
    List<Eviction.Candidate> candidates = new ArrayList<>(silentFromDistinctGroups(40));
    Eviction.Candidate discouraged = new Eviction.Candidate(77, 2_000, NO_PING, NEVER, NEVER, true, false, 10_005,
        false, true);
    candidates.set(5, discouraged);

    assertThat(Eviction.select(candidates)).contains(discouraged);
  }

  @Test
  void theLowestPingsAreProtected() {
    List<Eviction.Candidate> candidates = new ArrayList<>();
    for (long i = 0; i < 40; i++) {
      // the youngest connections of one big group, with the best pings
      long ping = i < Eviction.PROTECTED_BY_PING ? i + 1 : NO_PING;
      candidates.add(new Eviction.Candidate(i, 100_000 - i, ping, NEVER, NEVER, true, false, 1, false, false));
    }

    Eviction.Candidate evicted = Eviction.select(candidates).orElseThrow();
    assertThat(evicted.minPingNanos()).isEqualTo(NO_PING);
  }

  @Test
  void recentBlocksAndTransactionsAreProtected() {
    List<Eviction.Candidate> candidates = new ArrayList<>();
    for (long i = 0; i < 40; i++) {
      candidates.add(new Eviction.Candidate(i, 100_000 - i, NO_PING, NEVER, NEVER, true, false, 1, false, false));
    }
    Eviction.Candidate blockSender = new Eviction.Candidate(500, 200_000, NO_PING, 9_000, NEVER, true, true, 1, false,
        false);
    Eviction.Candidate txSender = new Eviction.Candidate(501, 200_001, NO_PING, NEVER, 9_000, true, true, 1, false,
        false);
    candidates.addAll(List.of(blockSender, txSender));

    Eviction.Candidate evicted = Eviction.select(candidates).orElseThrow();
    assertThat(evicted).isNotIn(blockSender, txSender);
  }

  /** Peers on local or anonymity networks keep up to half of the places protected by uptime. */
  @Test
  void disadvantagedPeersKeepPlacesAmongTheLongestConnected() {
    List<Eviction.Candidate> candidates = new ArrayList<>();
    for (long i = 0; i < 60; i++) {
      candidates.add(silent(i, i, 1)); // older than any disadvantaged peer
    }
    Eviction.Candidate local = new Eviction.Candidate(900, 1_000_000, NO_PING, NEVER, NEVER, true, false, 1, true,
        false);
    candidates.add(local);

    for (int round = 0; round < 30; round++) {
      Eviction.Candidate evicted = Eviction.select(candidates).orElseThrow();
      assertThat(evicted).isNotEqualTo(local);
      candidates.remove(evicted);
    }
  }
}
