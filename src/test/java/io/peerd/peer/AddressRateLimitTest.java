package io.peerd.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Core's address token bucket: 1 to start, 0.1 a second up to 1,000, 1,000 per getaddr sent. */
class AddressRateLimitTest {
  private static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);

  @Test
  void oneTokenToStartThenATenthPerSecond() {
    AddressRateLimit limit = new AddressRateLimit(0);
    assertThat(limit.admit(FIVE, 0)).hasSize(1);
    assertThat(limit.admit(FIVE, seconds(9))).as("0.9 tokens").isEmpty();
    assertThat(limit.admit(FIVE, seconds(10))).hasSize(1);
    assertThat(limit.admit(FIVE, seconds(40))).hasSize(3);
  }

  @Test
  void theBucketHoldsAtMostAThousandTokens() {
    AddressRateLimit limit = new AddressRateLimit(0);
    List<Integer> many = IntStream.range(0, 5_000).boxed().toList();
    assertThat(limit.admit(many, seconds(1_000_000))).hasSize((int) AddressRateLimit.MAX_TOKENS);
  }

  @Test
  void aGetaddrLetsItsAnswerThroughWhole() {
    AddressRateLimit limit = new AddressRateLimit(0);
    limit.getAddrSent();
    List<Integer> answer = IntStream.range(0, 1_000).boxed().toList();
    assertThat(limit.admit(answer, 0)).isEqualTo(answer);
    assertThat(limit.admit(FIVE, 0)).as("the starting token is left").hasSize(1);
  }

  @Test
  void theAdmittedAreARandomPickOfTheMessage() {
    List<Integer> hundred = IntStream.range(0, 100).boxed().toList();
    long distinctPicks = IntStream.range(0, 50)
        .mapToObj(i -> new AddressRateLimit(0).admit(hundred, 0).getFirst()).distinct().count();
    assertThat(distinctPicks).as("not always the first address").isGreaterThan(1);
  }

  private static long seconds(long count) {
    return TimeUnit.SECONDS.toNanos(count);
  }
}
