package io.peerd.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Start-once, stop-once around one service (seed 004). However many threads call {@link #start}
 * at once, the service starts exactly once and they all return when it has; a start that failed
 * may be tried again. {@link #stop} waits (bounded) for a start in flight, stops only a service
 * that started, and a second stop waits for the first. No lock is held while the service starts
 * or stops: waiters wait on a future.
 */
public final class StartOnce {
  /** A start or stop action. */
  public interface Action {
    void run() throws Exception;
  }

  private enum State { NEW, STARTING, STARTED, STOPPING, STOPPED }

  private final String name;
  private final Action startAction;
  private final Action stopAction;
  private State state;
  private CompletableFuture<Void> transition;

  public StartOnce(String name, Action startAction, Action stopAction) {
    this(name, startAction, stopAction, State.NEW);
  }

  private StartOnce(String name, Action startAction, Action stopAction, State initial) {
    this.name = name;
    this.startAction = startAction;
    this.stopAction = stopAction;
    this.state = initial;
  }

  /**
   * A service that is already running (it was opened before being wrapped): {@link #start}
   * returns at once, and {@link #stop} stops it once.
   */
  public static StartOnce running(String name, Action stopAction) {
    return new StartOnce(name, () -> {}, stopAction, State.STARTED);
  }

  public void start() throws Exception {
    while (true) {
      CompletableFuture<Void> inFlight;
      synchronized (this) {
        switch (state) {
          case STARTED -> {
            return;
          }
          case STOPPING, STOPPED -> throw new IllegalStateException(name + " was stopped; it does not start again");
          case NEW -> {
            state = State.STARTING;
            transition = new CompletableFuture<>();
            inFlight = null;
          }
          default -> inFlight = transition;
        }
      }
      if (inFlight == null) {
        runStart();
        return;
      }
      awaitTransition(inFlight); // someone else is starting it; then look again
    }
  }

  private void runStart() throws Exception {
    CompletableFuture<Void> done;
    try {
      startAction.run();
    } catch (Exception | Error e) {
      synchronized (this) {
        state = State.NEW; // a failed start may be retried
        done = transition;
      }
      done.complete(null);
      throw e;
    }
    synchronized (this) {
      state = State.STARTED;
      done = transition;
    }
    done.complete(null);
  }

  /**
   * Stops the service if it started; waits for a start or stop in flight on another thread, at
   * most {@code waitMillis} in all, then gives up with a {@link TimeoutException} (the service is
   * left to that thread). A service that never started never will.
   */
  public void stop(long waitMillis) throws Exception {
    long waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
    long sinceNanos = System.nanoTime();
    while (true) {
      CompletableFuture<Void> inFlight;
      synchronized (this) {
        switch (state) {
          case NEW -> {
            state = State.STOPPED; // never started: nothing to stop, and it never will start
            return;
          }
          case STOPPED -> {
            return;
          }
          case STARTED -> {
            state = State.STOPPING;
            transition = new CompletableFuture<>();
            inFlight = null;
          }
          default -> inFlight = transition;
        }
      }
      if (inFlight == null) {
        runStop();
        return;
      }
      awaitTransition(inFlight, waitNanos - (System.nanoTime() - sinceNanos));
    }
  }

  private void runStop() throws Exception {
    try {
      stopAction.run();
    } finally {
      CompletableFuture<Void> done;
      synchronized (this) {
        state = State.STOPPED;
        done = transition;
      }
      done.complete(null);
    }
  }

  public synchronized boolean isStarted() {
    return state == State.STARTED;
  }

  private static void awaitTransition(CompletableFuture<Void> future) throws InterruptedException {
    try {
      future.get();
    } catch (ExecutionException e) {
      throw new AssertionError("transitions complete normally", e);
    }
  }

  private void awaitTransition(CompletableFuture<Void> future, long remainingNanos)
      throws InterruptedException, TimeoutException {
    try {
      future.get(Math.max(0, remainingNanos), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("transitions complete normally", e);
    } catch (TimeoutException e) {
      throw new TimeoutException(name + " is still starting or stopping on another thread");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
