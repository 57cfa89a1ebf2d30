package io.peerd.produce;

import io.peerd.actor.Timers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a production {@link Step} every interval on the node's timers, at most one at a time: a
 * tick that finds the previous step unfinished is skipped, never queued, so a slow
 * chain cannot pile up requests. It never waits for peers or sync; the step decides what to
 * build on. Start once, stop once: the timer is cancelled on stop.
 */
public final class IntervalProducer {
  private static final Logger log = LoggerFactory.getLogger(IntervalProducer.class);
  /** Shorter intervals would only skip ticks: a block takes about a millisecond to build and store. */
  public static final long MIN_INTERVAL_MILLIS = 10;

  /** One production step; must not block (it runs on the timer thread) and completes when done. */
  public interface Step {
    CompletableFuture<?> produce();
  }

  private final Timers timers;
  private final long intervalMillis;
  private final Step step;
  private final AtomicBoolean stepInFlight = new AtomicBoolean();
  private Timers.Timer timer;

  public IntervalProducer(Timers timers, long intervalMillis, Step step) {
    if (intervalMillis < MIN_INTERVAL_MILLIS) {
      throw new IllegalArgumentException("production interval " + intervalMillis + " ms is under "
          + MIN_INTERVAL_MILLIS + " ms");
    }
    this.timers = timers;
    this.intervalMillis = intervalMillis;
    this.step = step;
  }

  public synchronized void start() {
    if (timer != null) {
      throw new IllegalStateException("producer already started");
    }
    timer = timers.every(intervalMillis, this::tick);
    log.info("producing a block every {} ms", intervalMillis);
  }

  public synchronized void stop() {
    if (timer != null) {
      timer.cancel();
    }
  }

  private void tick() {
    if (!stepInFlight.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<?> done;
    try {
      done = step.produce();
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((result, error) -> {
      if (error != null) {
        log.warn("block production step failed: {}", error.getMessage());
      }
      stepInFlight.set(false);
    });
  }
}
