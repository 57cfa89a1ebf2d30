package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.START_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Core's IsTerrible and GetChance, rule by rule, each on both sides of its line. */
class EntryTest {
  private static final long NOW = START_SECONDS;
  private static final long DAY = 24 * 60 * 60;

  private static Entry seenAt(long timeSeconds) {
    return new Entry(TestAddresses.publicAddress(1), TestAddresses.source(1), 1, timeSeconds);
  }

  @Test
  void aFreshAddressIsNotTerrible() {
    assertThat(seenAt(NOW).isTerrible(NOW)).isFalse();
  }

  @Test
  void anAddressFromMoreThan10MinutesInTheFutureIsTerrible() {
    assertThat(seenAt(NOW + 10 * 60).isTerrible(NOW)).isFalse();
    assertThat(seenAt(NOW + 10 * 60 + 1).isTerrible(NOW)).isTrue();
  }

  @Test
  void anAddressNotSeenFor30DaysIsTerrible() {
    assertThat(seenAt(NOW - 30 * DAY).isTerrible(NOW)).isFalse();
    assertThat(seenAt(NOW - 30 * DAY - 1).isTerrible(NOW)).isTrue();
  }

  @Test
  void threeFailuresWithoutEverConnectingAreTerrible() {
    Entry entry = seenAt(NOW);
    entry.attempts = 2;
    assertThat(entry.isTerrible(NOW)).isFalse();
    entry.attempts = 3;
    assertThat(entry.isTerrible(NOW)).isTrue();
    entry.lastSuccessSeconds = NOW - DAY;
    assertThat(entry.isTerrible(NOW)).as("it connected once").isFalse();
  }

  @Test
  void tenFailuresWithTheLastSuccessOverAWeekAgoAreTerrible() {
    Entry entry = seenAt(NOW);
    entry.lastSuccessSeconds = NOW - 8 * DAY;
    entry.attempts = 9;
    assertThat(entry.isTerrible(NOW)).isFalse();
    entry.attempts = 10;
    assertThat(entry.isTerrible(NOW)).isTrue();
    entry.lastSuccessSeconds = NOW - 6 * DAY;
    assertThat(entry.isTerrible(NOW)).as("a success within the week").isFalse();
  }

  @Test
  void anAddressTriedInTheLastMinuteIsNeverTerrible() {
    Entry entry = seenAt(NOW - 31 * DAY);
    entry.lastTrySeconds = NOW - 60;
    assertThat(entry.isTerrible(NOW)).isFalse();
    entry.lastTrySeconds = NOW - 61;
    assertThat(entry.isTerrible(NOW)).isTrue();
  }

  @Test
  void theChanceFallsAHundredfoldJustAfterATryAndByAThirdPerFailureUpTo8() {
    Entry entry = seenAt(NOW);
    assertThat(entry.chance(NOW)).isEqualTo(1.0);
    entry.lastTrySeconds = NOW - 9 * 60;
    assertThat(entry.chance(NOW)).isCloseTo(0.01, within(1e-12));
    entry.lastTrySeconds = NOW - 10 * 60;
    entry.attempts = 2;
    assertThat(entry.chance(NOW)).isCloseTo(0.66 * 0.66, within(1e-12));
    entry.attempts = 20;
    assertThat(entry.chance(NOW)).isCloseTo(Math.pow(0.66, 8), within(1e-12));
    entry.lastTrySeconds = NOW;
    assertThat(entry.chance(NOW)).isEqualTo(Entry.MIN_CHANCE);
  }
}
