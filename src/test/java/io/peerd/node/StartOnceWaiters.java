package io.peerd.node;

import java.util.Arrays;

/** Tells whether a thread waits inside a {@link StartOnce} for a start or stop in flight. */
final class StartOnceWaiters {
  private StartOnceWaiters() {}

  static boolean waitsForATransition(Thread thread) {
    Thread.State state = thread.getState();
    return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && Arrays.stream(thread.getStackTrace())
        .anyMatch(frame -> frame.getClassName().equals(StartOnce.class.getName())
            && frame.getMethodName().equals("awaitTransition"));
  }
}
