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
 * Messages left in the mailbox, and every message sent after the thread ended, go to
 * {@link #discarded}: none is dropped silently. {@link #finishAndStop} instead stops after
 * everything queued before it.
 *
 * <p>A handler that throws an exception (or fails an assertion) is logged and counted
 * ({@link #failureCount}); the actor goes on. Any other {@link Error} (out of memory, stack
 * overflow) ends the thread: its state can no longer be trusted. It is logged, and rethrown to
 * the thread's uncaught-exception handler, which the node uses to stop itself loudly.
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

  /** At most this many messages are handled between two {@link #onCaughtUp} calls. */
  public static final int MAX_MESSAGES_PER_CATCH_UP = 64;

  /**
   * Runs on the actor's thread after it handled messages: when its mailbox is empty, after
   * {@value #MAX_MESSAGES_PER_CATCH_UP} messages in a row, and before it stops. Where an actor
   * publishes a snapshot of its state for other threads: a burst of messages costs one snapshot
   * instead of one per message, and a snapshot lags by at most that many messages.
   */
  protected void onCaughtUp() {}

  /** Runs on the actor's thread before the first message. */
  protected void onStart() {}

  /** Runs on the actor's thread after the last message, when stopping. */
  protected void onStop() {}

  /**
   * A message the actor will not handle: still queued at stop, or sent after the thread ended.
   * Override to close its socket, fail its reply, release its credit. May run on the sender's
   * thread (after the stop), so it must touch only the message, never the actor's state.
   */
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

  /**
   * Enqueues a message that counts against the mailbox capacity; false if the mailbox is full.
   * After the actor stopped the message goes to {@link #discarded} at once (true: it was dealt with).
   */
  protected final boolean tell(M message) {
    return switch (mailbox.offer(message)) {
      case QUEUED -> true;
      case FULL -> false;
      case CLOSED -> {
        discarded(message);
        yield true;
      }
    };
  }

  /** Enqueues a message whose number is bounded by construction; never refused ({@link #discarded} once stopped). */
  protected final void tellBounded(M message) {
    if (mailbox.putBounded(message) == Mailbox.Delivery.CLOSED) {
      discarded(message);
    }
  }

  /**
   * As {@link #tellBounded}, and the message may be {@link #withdraw withdrawn} until this thread
   * takes it; null if the actor had stopped (the message went to {@link #discarded}).
   */
  protected final Mailbox.Entry tellWithdrawable(M message) {
    Mailbox.Entry entry = mailbox.putWithdrawable(message);
    if (entry == null) {
      discarded(message);
    }
    return entry;
  }

  /** Takes back a {@link #tellWithdrawable} message this thread has not taken yet, in O(1); false if it has. */
  protected final boolean withdraw(Mailbox.Entry entry) {
    return mailbox.withdraw(entry);
  }

  @SuppressWarnings("unchecked")
  private void run() {
    try {
      onStart();
      int sinceCaughtUp = 0;
      while (!stopRequested) {
        Object next = sinceCaughtUp < MAX_MESSAGES_PER_CATCH_UP ? mailbox.poll() : null;
        if (next == null) {
          if (sinceCaughtUp > 0) {
            caughtUp();
            sinceCaughtUp = 0;
          }
          next = mailbox.take();
        }
        if (next == FINISH) {
          break;
        }
        if (next != WAKE_UP && !stopRequested) {
          dispatch((M) next);
          sinceCaughtUp++;
        } else if (next != WAKE_UP) {
          discarded((M) next);
        }
      }
      if (sinceCaughtUp > 0) {
        caughtUp();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeMailbox();
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
    } catch (Error e) {
      log.error("{} hit a fatal error on {}; its thread ends", name, message.getClass().getSimpleName(), e);
      throw e;
    } finally {
      busySinceNanos = 0;
      handledCount++;
    }
  }

  private void caughtUp() {
    try {
      onCaughtUp();
    } catch (RuntimeException | AssertionError e) {
      failures.incrementAndGet();
      log.error("{} failed after catching up; continuing", name, e);
    }
  }

  /** Later sends go straight to {@link #discarded}; what is still queued goes there now. */
  @SuppressWarnings("unchecked")
  private void closeMailbox() {
    for (Object queued : mailbox.close()) {
      if (queued != WAKE_UP && queued != FINISH) {
        discarded((M) queued);
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
