package io.peerd.node;

import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uncaught-exception handler of every thread the node makes. An {@link Error} (out of
 * memory, stack overflow) that ends one of them leaves state nobody can trust and, in an actor,
 * a mailbox nobody reads: the first one is kept, logged, and the node is asked to stop, so whoever
 * runs it closes it and exits non-zero ({@link Main}). An exception that ends a thread is a bug,
 * logged; the thread's owner has already dealt with its end.
 */
final class FatalErrors implements Thread.UncaughtExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

  private final AtomicReference<Throwable> first = new AtomicReference<>();
  private final Runnable stopNode;

  /** @param stopNode asks the node to stop; must return at once */
  FatalErrors(Runnable stopNode) {
    this.stopNode = stopNode;
  }

  @Override
  public void uncaughtException(Thread thread, Throwable failure) {
    if (!(failure instanceof Error)) {
      log.error("thread {} ended by an uncaught exception (a bug)", thread.getName(), failure);
      return;
    }
    if (first.compareAndSet(null, failure)) {
      log.error("fatal error in thread {}: peerd is stopping", thread.getName(), failure);
    }
    stopNode.run();
  }

  /** The first fatal error, if any. */
  Optional<Throwable> first() {
    return Optional.ofNullable(first.get());
  }

  /** Platform daemon threads named {@code peerd-<name>}, reporting here. */
  ThreadFactory platform(String name) {
    return Thread.ofPlatform().name("peerd-" + name).daemon(true).uncaughtExceptionHandler(this).factory();
  }

  /** Virtual threads named {@code <prefix><n>}, reporting here. */
  ThreadFactory virtualNumbered(String prefix) {
    return Thread.ofVirtual().name(prefix, 0).uncaughtExceptionHandler(this).factory();
  }

  /** Virtual threads all named {@code name}, reporting here. */
  ThreadFactory virtual(String name) {
    return Thread.ofVirtual().name(name).uncaughtExceptionHandler(this).factory();
  }
}
