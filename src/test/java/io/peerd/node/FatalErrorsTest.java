package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every node thread reports to {@link FatalErrors}: an Error stops the node, an exception does not. */
class FatalErrorsTest {
  private final AtomicInteger stopRequests = new AtomicInteger();
  private final FatalErrors fatalErrors = new FatalErrors(stopRequests::incrementAndGet);

  @Test
  void anErrorInAnyKindOfNodeThreadIsKeptAndStopsTheNode() throws Exception {
    OutOfMemoryError first = new OutOfMemoryError("deliberate");
    runToDeath(fatalErrors.platform("test"), first);
    runToDeath(fatalErrors.virtualNumbered("test-"), new StackOverflowError("deliberate"));
    runToDeath(fatalErrors.virtual("test"), new StackOverflowError("deliberate"));

    assertThat(fatalErrors.first()).containsSame(first);
    assertThat(stopRequests).hasValue(3);
  }

  @Test
  void anUncaughtExceptionIsLoggedButDoesNotStopTheNode() throws Exception {
    runToDeath(fatalErrors.platform("test"), new IllegalStateException("deliberate"));

    assertThat(fatalErrors.first()).isEmpty();
    assertThat(stopRequests).hasValue(0);
  }

  private static void runToDeath(ThreadFactory threads, Throwable failure) throws InterruptedException {
    Thread thread = threads.newThread(() -> {
      switch (failure) {
        case Error e -> throw e;
        case RuntimeException e -> throw e;
        default -> throw new AssertionError(failure);
      }
    });
    thread.start();
    thread.join();
  }
}
