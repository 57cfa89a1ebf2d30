package io.peerd.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records one logger's events, and holds the thread that logs a chosen message until released:
 * a log line is often the only point inside product code a test can see and pause at (for
 * example "started" logged while a start is still in flight). Only the first matching event is
 * held, and other threads keep logging meanwhile. {@link #close} detaches the gate, restores
 * the logger and releases a held thread.
 */
public final class LogGate extends UnsynchronizedAppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final boolean previousAdditivity;
  private final Predicate<String> holdAt;
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  private LogGate(Class<?> loggerOf, Predicate<String> holdAt) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerOf);
    this.previousLevel = logger.getLevel();
    this.previousAdditivity = logger.isAdditive();
    this.holdAt = holdAt;
  }

  /** Records {@code loggerOf}'s events from INFO up (kept out of the console) and holds none. */
  public static LogGate record(Class<?> loggerOf) {
    return attach(loggerOf, Level.INFO, message -> false);
  }

  /** Records {@code loggerOf}'s events from {@code level} up (e.g. DEBUG for per-peer events). */
  public static LogGate record(Class<?> loggerOf, Level level) {
    return attach(loggerOf, level, message -> false);
  }

  /** Records like {@link #record} and holds the first thread logging a message {@code holdAt} accepts. */
  public static LogGate holdAt(Class<?> loggerOf, Predicate<String> holdAt) {
    return attach(loggerOf, Level.INFO, holdAt);
  }

  private static LogGate attach(Class<?> loggerOf, Level level, Predicate<String> holdAt) {
    LogGate gate = new LogGate(loggerOf, holdAt);
    gate.setContext(gate.logger.getLoggerContext());
    gate.start();
    gate.logger.setLevel(level);
    gate.logger.setAdditive(false);
    gate.logger.addAppender(gate);
    return gate;
  }

  @Override
  protected void append(ILoggingEvent event) {
    events.add(event);
    if (held.getCount() > 0 && holdAt.test(event.getFormattedMessage())) {
      held.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until a thread is held at the chosen message. */
  public void awaitHeld(Duration timeout) throws InterruptedException {
    if (!held.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("nothing logged the awaited message within " + timeout);
    }
  }

  public void release() {
    release.countDown();
  }

  /** Forgets the events recorded so far. */
  public void clear() {
    events.clear();
  }

  /** Formatted messages logged at {@code level} or above. */
  public List<String> messages(Level level) {
    return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Override
  public void close() {
    release();
    logger.detachAppender(this);
    logger.setLevel(previousLevel);
    logger.setAdditive(previousAdditivity);
    stop();
  }
}
