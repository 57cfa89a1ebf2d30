package io.peerd.peer;

import static io.peerd.peer.Parked.parkedOnNewThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InboundBudgetTest {
  private static final long WAIT_SECONDS = 10;

  @ParameterizedTest(name = "a {0}-byte payload costs {1}")
  @CsvSource({"0, 100", "1, 100", "100, 100", "101, 101", "9999, 9999", "10000, 10000", "10001, 10000",
      "2147483647, 10000"})
  void costIsThePayloadClampedBetweenTheMinimumAndTheCapacity(int payloadBytes, long expectedCost) {
    assertThat(new InboundBudget(10_000, 100).costOf(payloadBytes)).isEqualTo(expectedCost);
  }

  @ParameterizedTest(name = "capacity {0}, minimum {1} is refused")
  @CsvSource({"100, 0", "100, -1", "100, 101"})
  void refusesAMinimumOutsideOneToTheCapacity(long capacity, long minimum) {
    assertThatThrownBy(() -> new InboundBudget(capacity, minimum)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMinimumCostCapsTheMessageCount() throws Exception {
    InboundBudget budget = new InboundBudget(1_000, 100);
    for (int i = 0; i < 10; i++) {
      assertThat(budget.take(budget.costOf(1))).isTrue();
    }
    assertThat(budget.outstandingBytes()).isEqualTo(1_000);
    budget.giveBack(100);
    assertThat(budget.outstandingBytes()).isEqualTo(900);
  }

  @Test
  void aReaderOverBudgetWaitsUntilEnoughIsGivenBack() throws Exception {
    InboundBudget budget = new InboundBudget(1_000, 100);
    budget.take(700);
    CompletableFuture<Boolean> taken = parkedOnNewThread(() -> budget.take(500));
    budget.giveBack(100); // 400 available: not yet enough; woken, the reader must wait again
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !taken.isDone());
    assertThat(budget.outstandingBytes()).isEqualTo(600);
    budget.giveBack(100);
    assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(budget.outstandingBytes()).isEqualTo(1_000);
  }

  @Test
  void aMessageAsLargeAsTheBudgetPassesOnceTheBudgetIsWhole() throws Exception {
    InboundBudget budget = new InboundBudget(1_000, 100);
    budget.take(100);
    CompletableFuture<Boolean> taken = parkedOnNewThread(() -> budget.take(budget.costOf(50_000)));
    budget.giveBack(100);
    assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(budget.outstandingBytes()).isEqualTo(1_000);
  }

  @Test
  void closeWakesAWaitingReaderWithFalse() throws Exception {
    InboundBudget budget = new InboundBudget(1_000, 100);
    budget.take(1_000);
    CompletableFuture<Boolean> taken = parkedOnNewThread(() -> budget.take(100));
    budget.close();
    assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void aClosedBudgetRefusesEvenWhatWouldFit() throws Exception {
    InboundBudget budget = new InboundBudget(1_000, 100);
    budget.close();
    assertThat(budget.take(100)).isFalse();
    assertThat(budget.outstandingBytes()).isZero();
  }

  @Test
  void givingBackMoreThanWasTakenIsCaughtByTheAssertion() {
    InboundBudget budget = new InboundBudget(1_000, 100);
    assertThatThrownBy(() -> budget.giveBack(1)).isInstanceOf(AssertionError.class);
  }
}
