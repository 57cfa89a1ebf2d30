package io.peerd.actor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices what has work but makes no progress. Every check (a quarter of the stall time) it
 * compares each actor's handled count with the last one: an actor with a non-empty mailbox or a
 * message in hand whose count has not moved for {@code stallMillis} is stalled. The owner also
 * supplies {@link Symptom symptoms} (conditions that must not last, such as a peer whose threads
 * outlive its close, or a sync that asks nobody while behind): one present for {@code stallMillis}
 * in a row is stalled too. Each stall is reported once: a warning with its subject, detail and
 * thread stacks, a counter, and {@link #stalls()} for RPC. peerd keeps running; the report ends
 * when the actor moves again or the symptom goes. It only reads published state: it never blocks
 * or waits on an actor. Run it on timers of its own, so a stuck timer thread is reported too.
 */
public final class Watchdog {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
  private static final int MAX_STACK_FRAMES = 40;

  /** Something wrong right now; a stall once it lasts. {@code subject} identifies it from check to check. */
  public record Symptom(String subject, String detail, List<Thread> threads) {}

  /** What the operator sees. */
  public record Stall(String subject, String detail, long stalledMillis, List<String> stack) {}

  private final Supplier<List<? extends ActorProgress>> actors;
  private final Supplier<List<Symptom>> symptoms;
  private final long stallMillis;
  private final LongSupplier clockNanos;
  private final AtomicLong stallCount = new AtomicLong();
  /** Written by the checking thread only; concurrent so that metrics may read an actor's stall count. */
  private final Map<ActorProgress, Progress> progress = new ConcurrentHashMap<>();
  /** When each present symptom was first seen, by subject. */
  private final Map<String, Long> symptomSinceNanos = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private volatile List<Stall> stalls = List.of();
  private Timers.Timer timer;

  /** The last handled count of an actor, when it last moved, and its stalls (one writer, any reader). */
  private static final class Progress {
    long handled;
    long movedAtNanos;
    boolean stalled;
    volatile long stalls;
  }

  public Watchdog(Supplier<List<? extends ActorProgress>> actors, Supplier<List<Symptom>> symptoms,
      long stallMillis, LongSupplier clockNanos) {
    if (stallMillis <= 0) {
      throw new IllegalArgumentException("stall time must be positive");
    }
    this.actors = actors;
    this.symptoms = symptoms;
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

  /** Stalls reported of {@code actor} since it was first checked; 0 for an actor never checked or gone. */
  public long stallCount(ActorProgress actor) {
    Progress seen = progress.get(actor);
    return seen == null ? 0 : seen.stalls;
  }

  /** What is stalled right now, as of the last check. */
  public List<Stall> stalls() {
    return stalls;
  }

  /** One pass over every actor and symptom; runs on the watchdog's timer thread, or a test's. */
  public synchronized void check() {
    long now = clockNanos.getAsLong();
    List<Stall> stalled = new ArrayList<>();
    checkActors(now, stalled);
    checkSymptoms(now, stalled);
    Set<String> current = new HashSet<>();
    stalled.forEach(stall -> current.add(stall.subject()));
    reported.retainAll(current);
    for (Stall stall : stalled) {
      if (reported.add(stall.subject())) {
        stallCount.incrementAndGet();
        log.warn("{}: {} for {} ms; its threads:\n  {}", stall.subject(), stall.detail(), stall.stalledMillis(),
            String.join("\n  ", stall.stack()));
      }
    }
    stalls = List.copyOf(stalled);
  }

  private void checkActors(long now, List<Stall> stalled) {
    List<? extends ActorProgress> current = actors.get();
    progress.keySet().retainAll(current);
    for (ActorProgress actor : current) {
      Progress seen = progress.computeIfAbsent(actor, a -> fresh(a, now));
      long handled = actor.handledCount();
      boolean hasWork = actor.mailboxDepth() > 0 || actor.busySinceNanos() != 0;
      if (handled != seen.handled || !hasWork) {
        seen.handled = handled;
        seen.movedAtNanos = now;
        seen.stalled = false;
        continue;
      }
      long stalledMillis = TimeUnit.NANOSECONDS.toMillis(now - seen.movedAtNanos);
      if (stalledMillis >= stallMillis) {
        if (!seen.stalled) {
          seen.stalled = true;
          seen.stalls++; // the one writer: this thread
        }
        stalled.add(new Stall("actor '" + actor.name() + "'",
            "no progress with " + actor.mailboxDepth() + " messages waiting", stalledMillis,
            stackOf(List.of(actor.thread()))));
      }
    }
  }

  private void checkSymptoms(long now, List<Stall> stalled) {
    List<Symptom> present = symptoms.get();
    Set<String> subjects = new HashSet<>();
    for (Symptom symptom : present) {
      subjects.add(symptom.subject());
      long sinceNanos = symptomSinceNanos.computeIfAbsent(symptom.subject(), s -> now);
      long lastedMillis = TimeUnit.NANOSECONDS.toMillis(now - sinceNanos);
      if (lastedMillis >= stallMillis) {
        stalled.add(new Stall(symptom.subject(), symptom.detail(), lastedMillis, stackOf(symptom.threads())));
      }
    }
    symptomSinceNanos.keySet().retainAll(subjects);
  }

  private static Progress fresh(ActorProgress actor, long now) {
    Progress seen = new Progress();
    seen.handled = actor.handledCount();
    seen.movedAtNanos = now;
    return seen;
  }

  private static List<String> stackOf(List<Thread> threads) {
    List<String> frames = new ArrayList<>();
    for (Thread thread : threads) {
      if (thread == null) {
        frames.add("(not started)");
        continue;
      }
      frames.add(thread.getName() + " " + thread.getState());
      StackTraceElement[] stack = thread.getStackTrace();
      for (int i = 0; i < Math.min(stack.length, MAX_STACK_FRAMES); i++) {
        frames.add("at " + stack[i]);
      }
    }
    return frames;
  }
}
