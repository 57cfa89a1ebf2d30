package io.peerd.actor;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, one FIFO mailbox, state touched only by that thread.
 *
 * <p>Senders never block. A mailbox has two kinds of messages, kept in one FIFO so their
 * relative order holds:
 * <ul>
 *   <li>{@link #tell} messages count against {@code mailboxCapacity} and are refused (the call
 *       returns false) when it is reached; each sender states what a refusal means for it.
 *   <li>{@link #tellBounded} messages are never refused. They are for messages whose number is
 *       bounded by construction (for example at most two lifecycle events per admitted peer, or
 *       one reply per outstanding request); the subclass documents that bound.
 * </ul>
 *
 * <p>{@link #stop} is never lost: it sets a flag checked before every message and wakes the
 * thread, so the actor stops after at most the message it is handling, however deep its mailbox.
 * Messages left in the mailbox go to {@link #discarded}.
 *
 * @param <M> the actor's message type (usually a sealed interface of records)
 */
public abstract class Actor<M> implements ActorProgress {
  private static final Logger log = LoggerFactory.getLogger(Actor.class);
  private static final Object WAKE_UP = new Object();

  private final String name;
  private final int mailboxCapacity;
  private final ThreadFactory threadFactory;
  /** Holds messages (M) and WAKE_UP; refusals are decided by {@link #countedMessages}. */
  private final LinkedBlockingQueue<Object> mailbox = new LinkedBlockingQueue<>();
  private final AtomicInteger countedMessages = new AtomicInteger();
  private final AtomicInteger refusedMessages = new AtomicInteger();
  private final Lifecycle lifecycle = new Lifecycle();
  private volatile boolean stopRequested;
  private volatile long handledCount;
  private volatile long busySinceNanos;
  private volatile Thread thread;

  protected Actor(String name, int mailboxCapacity, ThreadFactory threadFactory) {
    if (mailboxCapacity <= 0) {
      throw new IllegalArgumentException("mailbox capacity must be positive: " + mailboxCapacity);
    }
    this.name = name;
    this.mailboxCapacity = mailboxCapacity;
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
    mailbox.add(WAKE_UP);
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

  /** Enqueues a message that counts against the mailbox capacity; false if refused. */
  protected final boolean tell(M message) {
    if (countedMessages.incrementAndGet() > mailboxCapacity) {
      countedMessages.decrementAndGet();
      refusedMessages.incrementAndGet();
      return false;
    }
    mailbox.add(new Counted(message));
    return true;
  }

  /** Enqueues a message whose number is bounded by construction; never refused. */
  protected final void tellBounded(M message) {
    mailbox.add(message);
  }

  /** True on the actor's own thread: for assertions in handlers. */
  protected final boolean onActorThread() {
    return Thread.currentThread() == thread;
  }

  private void run() {
    try {
      onStart();
      while (!stopRequested) {
        Object next = mailbox.take();
        if (next != WAKE_UP && !stopRequested) {
          dispatch(unwrap(next));
        } else if (next != WAKE_UP) {
          discarded(unwrap(next));
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
      log.error("{} failed on {}; continuing with the next message", name, message.getClass().getSimpleName(), e);
    } finally {
      busySinceNanos = 0;
      handledCount++;
    }
  }

  private void drainAtStop() {
    Object next;
    while ((next = mailbox.poll()) != null) {
      if (next != WAKE_UP) {
        discarded(unwrap(next));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private M unwrap(Object queued) {
    if (queued instanceof Actor<?>.Counted counted) {
      countedMessages.decrementAndGet();
      return (M) counted.message;
    }
    return (M) queued;
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

  /** Messages refused because the mailbox was full, since start. */
  public final int refusedCount() {
    return refusedMessages.get();
  }

  /** Wraps messages that count against the capacity, so the consumer can give the slot back. */
  private final class Counted {
    final M message;

    Counted(M message) {
      this.message = message;
    }
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
