package io.peerd.actor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices an actor that has work but makes no progress. Every check (a quarter of the stall
 * time) it compares each actor's handled count with the last one; an actor with a non-empty
 * mailbox or a message in hand whose count has not moved for {@code stallMillis} is reported
 * once per stall: a warning with its name, mailbox depth and the stack of its thread, a counter,
 * and {@link #stalls()} for RPC. peerd keeps running; the report ends when the actor moves again.
 * It only reads the actors' published counters: it never blocks or waits on an actor.
 */
public final class Watchdog {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
  private static final int MAX_STACK_FRAMES = 40;

  /** An actor that stopped making progress: what the operator sees. */
  public record Stall(String actor, int mailboxDepth, long stalledMillis, List<String> stack) {}

  private final Supplier<List<? extends ActorProgress>> actors;
  private final long stallMillis;
  private final LongSupplier clockNanos;
  private final AtomicLong stallCount = new AtomicLong();
  private final Map<ActorProgress, Progress> progress = new HashMap<>();
  private volatile List<Stall> stalls = List.of();
  private Timers.Timer timer;

  /** The last handled count of an actor and when it last moved; {@code reported} once per stall. */
  private static final class Progress {
    long handled;
    long movedAtNanos;
    boolean reported;
  }

  public Watchdog(Supplier<List<? extends ActorProgress>> actors, long stallMillis, LongSupplier clockNanos) {
    if (stallMillis <= 0) {
      throw new IllegalArgumentException("stall time must be positive");
    }
    this.actors = actors;
    this.stallMillis = stallMillis;
    this.clockNanos = clockNanos;
  }

  public synchronized void start(Timers timers) {
    if (timer == null) {
      timer = timers.every(Math.max(1, stallMillis / 4), this::check);
    }
  }

  public synchronized void stop() {
    if (timer != null) {
      timer.cancel();
    }
  }

  /** Stalls reported since start. */
  public long stallCount() {
    return stallCount.get();
  }

  /** Actors stalled right now, as of the last check. */
  public List<Stall> stalls() {
    return stalls;
  }

  /** One pass over every actor; runs on the timer thread, or a test's. */
  public synchronized void check() {
    long now = clockNanos.getAsLong();
    List<? extends ActorProgress> current = actors.get();
    progress.keySet().retainAll(current);
    List<Stall> stalled = new ArrayList<>();
    for (ActorProgress actor : current) {
      Progress seen = progress.computeIfAbsent(actor, a -> fresh(a, now));
      long handled = actor.handledCount();
      boolean hasWork = actor.mailboxDepth() > 0 || actor.busySinceNanos() != 0;
      if (handled != seen.handled || !hasWork) {
        seen.handled = handled;
        seen.movedAtNanos = now;
        seen.reported = false;
        continue;
      }
      long stalledMillis = TimeUnit.NANOSECONDS.toMillis(now - seen.movedAtNanos);
      if (stalledMillis >= stallMillis) {
        Stall stall = new Stall(actor.name(), actor.mailboxDepth(), stalledMillis, stackOf(actor.thread()));
        stalled.add(stall);
        if (!seen.reported) {
          seen.reported = true;
          stallCount.incrementAndGet();
          log.warn("actor '{}' made no progress for {} ms with {} messages waiting; its thread:\n  {}", stall.actor(),
              stalledMillis, stall.mailboxDepth(), String.join("\n  ", stall.stack()));
        }
      }
    }
    stalls = List.copyOf(stalled);
  }

  private static Progress fresh(ActorProgress actor, long now) {
    Progress seen = new Progress();
    seen.handled = actor.handledCount();
    seen.movedAtNanos = now;
    return seen;
  }

  private static List<String> stackOf(Thread thread) {
    if (thread == null) {
      return List.of("(not started)");
    }
    List<String> frames = new ArrayList<>();
    frames.add(thread.getName() + " " + thread.getState());
    StackTraceElement[] stack = thread.getStackTrace();
    for (int i = 0; i < Math.min(stack.length, MAX_STACK_FRAMES); i++) {
      frames.add("at " + stack[i]);
    }
    return frames;
  }
}
