package io.peerd.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.testing.ManualTimers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IntervalProducerTest {
  private final ManualTimers timers = new ManualTimers();
  private final List<CompletableFuture<Void>> steps = new ArrayList<>();
  private final IntervalProducer producer = new IntervalProducer(timers, 100, () -> {
    CompletableFuture<Void> step = new CompletableFuture<>();
    steps.add(step);
    return step;
  });

  @Test
  void eachTickRunsOneStepAndATickDuringAnUnfinishedStepIsSkipped() {
    producer.start();
    tick();
    tick();
    assertThat(steps).as("the second tick came during the first step").hasSize(1);

    steps.getFirst().complete(null);
    tick();
    assertThat(steps).hasSize(2);
  }

  @Test
  void aFailedStepLetsTheNextTickTryAgain() {
    producer.start();
    tick();
    steps.getFirst().completeExceptionally(new IllegalStateException("chain is busy"));
    tick();
    assertThat(steps).hasSize(2);
  }

  @Test
  void stopCancelsTheTimer() {
    producer.start();
    assertThat(timers.liveCount()).isEqualTo(1);
    producer.stop();
    assertThat(timers.liveCount()).isZero();
  }

  @Test
  void anIntervalUnderTheFloorIsRefused() {
    assertThatThrownBy(() -> new IntervalProducer(timers, IntervalProducer.MIN_INTERVAL_MILLIS - 1,
        CompletableFuture::new)).isInstanceOf(IllegalArgumentException.class);
  }

  private void tick() {
    timers.all().getFirst().fire();
  }
}
