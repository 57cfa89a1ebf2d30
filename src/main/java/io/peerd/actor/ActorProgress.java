package io.peerd.actor;

/** What an actor reports about its progress, read by the watchdog from any thread. */
public interface ActorProgress {
  String name();

  /** Messages waiting, including any wake-up marker. */
  int mailboxDepth();

  /** Messages handled since start; grows while the actor makes progress. */
  long handledCount();

  /** {@link System#nanoTime} when the current message started, or 0 when idle. */
  long busySinceNanos();

  /** The actor's thread, or null before start. */
  Thread thread();
}
