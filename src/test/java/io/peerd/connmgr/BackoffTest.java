package io.peerd.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  private static final Backoff DEFAULTS = Backoff.defaults();
  private static final long MINUTE = 60_000;

  @ParameterizedTest(name = "after {0} failures the base is {1} ms")
  @CsvSource({
      "1, 1000", "2, 2000", "3, 4000", "4, 8000", "5, 16000", "6, 32000", "7, 64000", "8, 128000",
      "9, 256000", "10, 512000", "11, 600000", "12, 600000", "40, 600000"})
  void baseDoublesFromOneSecondToTenMinutes(int failures, long expectedMillis) {
    long base = 0;
    for (int i = 0; i < failures; i++) {
      base = DEFAULTS.nextBaseMillis(base);
    }
    assertThat(base).isEqualTo(expectedMillis);
  }

  @ParameterizedTest(name = "base {0} ms at unitRandom {1} waits {2} ms")
  @CsvSource({
      "1000, 0.0, 950", "1000, 0.5, 1000", "1000, 0.9999999, 1050",
      "600000, 0.0, 570000", "600000, 0.5, 600000", "600000, 0.9999999, 630000",
      "64000, 0.25, 62400", "64000, 0.75, 65600"})
  void jitterStaysWithinFivePercent(long baseMillis, double unitRandom, long expectedMillis) {
    assertThat(DEFAULTS.withJitter(baseMillis, unitRandom)).isEqualTo(expectedMillis);
  }

  /** Every wait of the doubling sequence stays within +/- 5 % of its base, whatever the random draw. */
  @Test
  void everyJitteredWaitStaysWithinTheBoundsOfItsBase() {
    Random random = new Random(1);
    long base = 0;
    for (int failures = 1; failures <= 12; failures++) {
      base = DEFAULTS.nextBaseMillis(base);
      for (int draw = 0; draw < 1_000; draw++) {
        assertThat(DEFAULTS.withJitter(base, random.nextDouble()))
            .isBetween(Math.round(base * 0.95), Math.round(base * 1.05));
      }
    }
  }

  @ParameterizedTest(name = "unitRandom {0} is refused")
  @CsvSource({"-0.0001", "1.0", "1.5", "-1"})
  void jitterRefusesRandomsOutsideTheUnitInterval(double unitRandom) {
    assertThatThrownBy(() -> DEFAULTS.withJitter(1_000, unitRandom)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "a connection of {0} ms leaves a base of {1} ms at 64 s")
  @CsvSource({"-1, 64000", "0, 64000", "1000, 64000", "599999, 64000", "600000, 0", "3600000, 0"})
  void onlyAStableConnectionResetsTheBase(long lifetimeMillis, long expectedBase) {
    assertThat(DEFAULTS.afterConnection(64_000, lifetimeMillis)).isEqualTo(expectedBase);
  }

  @Test
  void afterAResetTheNextFailureStartsOverAtOneSecond() {
    long base = DEFAULTS.afterConnection(10 * MINUTE, 10 * MINUTE);
    assertThat(DEFAULTS.nextBaseMillis(base)).isEqualTo(1_000);
  }

  @ParameterizedTest(name = "initial {0}, max {1}, jitter {2} is refused")
  @CsvSource({"0, 1000, 0.05", "-1, 1000, 0.05", "2000, 1000, 0.05", "1000, 2000, -0.01", "1000, 2000, 1.0"})
  void refusesInvalidSettings(long initialMillis, long maxMillis, double jitter) {
    assertThatThrownBy(() -> new Backoff(initialMillis, maxMillis, jitter, MINUTE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsTheEdgesOfValidSettings() {
    Backoff noJitter = new Backoff(1_000, 1_000, 0, MINUTE);
    assertThat(noJitter.nextBaseMillis(1_000)).isEqualTo(1_000);
    assertThat(noJitter.withJitter(1_000, 0)).isEqualTo(1_000);
    assertThat(noJitter.withJitter(1_000, 0.9999)).isEqualTo(1_000);
  }
}
