package io.peerd.actor;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, one FIFO {@link Mailbox}, state touched only by that thread.
 *
 * <p>Senders never block: {@link #tell} messages count against the mailbox capacity and are
 * refused (the call returns false) when it is reached, and each sender states what a refusal
 * means for it; {@link #tellBounded} messages are never refused, for messages whose number is
 * bounded by construction (for example two lifecycle events per admitted peer, or one reply per
 * outstanding request), which the subclass documents.
 *
 * <p>{@link #stop} is never lost: it sets a flag checked before every message and wakes the
 * thread, so the actor stops after at most the message it is handling, however deep its mailbox.
 * Messages left in the mailbox go to {@link #discarded}. {@link #finishAndStop} instead stops
 * after everything queued before it.
 *
 * <p>A handler that throws is logged and counted ({@link #failureCount}); the actor goes on.
 *
 * @param <M> the actor's message type (usually a sealed interface of records)
 */
public abstract class Actor<M> implements ActorProgress {
  private static final Logger log = LoggerFactory.getLogger(Actor.class);
  private static final Object WAKE_UP = new Object();
  private static final Object FINISH = new Object();

  private final String name;
  private final Mailbox mailbox;
  private final ThreadFactory threadFactory;
  private final AtomicInteger failures = new AtomicInteger();
  private final Lifecycle lifecycle = new Lifecycle();
  private volatile boolean stopRequested;
  private volatile long handledCount;
  private volatile long busySinceNanos;
  private volatile Thread thread;

  protected Actor(String name, Mailbox mailbox, ThreadFactory threadFactory) {
    this.name = name;
    this.mailbox = mailbox;
    this.threadFactory = threadFactory;
  }

  /** Handles one message on the actor's thread. */
  protected abstract void handle(M message);

  /** Runs on the actor's thread before the first message. */
  protected void onStart() {}

  /** Runs on the actor's thread after the last message, when stopping. */
  protected void onStop() {}

  /** A message still queued at stop; override to complete its reply, release its credit, etc. */
  protected void discarded(M message) {}

  /** Starts the thread; a second call does nothing. */
  public final void start() {
    if (!lifecycle.markStarted()) {
      return;
    }
    Thread started = threadFactory.newThread(this::run);
    thread = started;
    started.start();
  }

  /** Asks the actor to stop after its current message; never blocks, never lost. */
  public final void stop() {
    stopRequested = true;
    mailbox.putBounded(WAKE_UP);
  }

  /** Asks the actor to stop once it has handled everything queued so far. */
  public final void finishAndStop() {
    mailbox.putBounded(FINISH);
  }

  /** Waits for the thread to end; true if it did within the time (or never started). */
  public final boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    Thread current = thread;
    if (current == null) {
      return true;
    }
    current.join(timeoutMillis);
    return !current.isAlive();
  }

  /** True once the thread has ended, or if it never started. */
  public final boolean isStopped() {
    Thread current = thread;
    return current == null || !current.isAlive();
  }

  /** Enqueues a message that counts against the mailbox capacity; false if refused. */
  protected final boolean tell(M message) {
    return mailbox.offer(message);
  }

  /** Enqueues a message whose number is bounded by construction; never refused. */
  protected final void tellBounded(M message) {
    mailbox.putBounded(message);
  }

  /** Takes back a {@link #tellBounded} message this thread has not taken yet; false if it has. */
  protected final boolean withdrawBounded(M message) {
    return mailbox.withdrawBounded(message);
  }

  @SuppressWarnings("unchecked")
  private void run() {
    try {
      onStart();
      while (!stopRequested) {
        Object next = mailbox.take();
        if (next == FINISH) {
          break;
        }
        if (next != WAKE_UP && !stopRequested) {
          dispatch((M) next);
        } else if (next != WAKE_UP) {
          discarded((M) next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      drainAtStop();
      onStop();
    }
  }

  private void dispatch(M message) {
    busySinceNanos = System.nanoTime();
    try {
      handle(message);
    } catch (RuntimeException | AssertionError e) {
      failures.incrementAndGet();
      log.error("{} failed on {}; continuing with the next message", name, message.getClass().getSimpleName(), e);
    } finally {
      busySinceNanos = 0;
      handledCount++;
    }
  }

  @SuppressWarnings("unchecked")
  private void drainAtStop() {
    Object next;
    while ((next = mailbox.poll()) != null) {
      if (next != WAKE_UP && next != FINISH) {
        discarded((M) next);
      }
    }
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int mailboxDepth() {
    return mailbox.size();
  }

  @Override
  public final long handledCount() {
    return handledCount;
  }

  @Override
  public final long busySinceNanos() {
    return busySinceNanos;
  }

  @Override
  public final Thread thread() {
    return thread;
  }

  /** Messages refused because the mailbox was full, since creation. */
  public final int refusedCount() {
    return mailbox.refusedCount();
  }

  /** Handler failures since start: each is a bug, logged with its stack trace. */
  public final int failureCount() {
    return failures.get();
  }

  /** Start-once guard: an actor's thread exists at most once. */
  private static final class Lifecycle {
    private boolean started;

    synchronized boolean markStarted() {
      if (started) {
        return false;
      }
      started = true;
      return true;
    }
  }
}
