package io.peerd.metrics;

import static io.peerd.metrics.Meters.counter;
import static io.peerd.metrics.Meters.gauge;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.peerd.actor.Actor;
import io.peerd.actor.ActorProgress;
import io.peerd.actor.Watchdog;

/**
 * Per actor: mailbox depth, messages handled, messages refused for want of room, handler
 * failures, watchdog stalls; and the watchdog's totals. Read as the watchdog reads them.
 */
final class ActorMeters {
  private ActorMeters() {}

  static void bind(MeterRegistry registry, NodeReadings node) {
    Watchdog watchdog = node.watchdog();
    for (ActorProgress actor : node.actors()) {
      Tags tags = Tags.of("actor", actor.name());
      gauge(registry, "peerd.actor.mailbox.depth.messages", "Messages waiting in the actor's mailbox", tags,
          actor::mailboxDepth);
      counter(registry, "peerd.actor.messages.handled", "Messages the actor handled", tags, actor,
          ActorProgress::handledCount);
      counter(registry, "peerd.actor.watchdog.stalls", "Times the watchdog saw the actor stalled", tags, actor,
          watchdog::stallCount);
      if (actor instanceof Actor<?> withMailbox) { // the timer thread has a queue, not a mailbox
        counter(registry, "peerd.actor.messages.refused", "Messages refused: the mailbox was full", tags,
            withMailbox, Actor::refusedCount);
        counter(registry, "peerd.actor.handler.failures", "Handler failures (each a bug, logged)", tags,
            withMailbox, Actor::failureCount);
      }
    }
    counter(registry, "peerd.watchdog.stalls", "Stalls the watchdog reported (actors and symptoms)",
        Tags.empty(), watchdog, Watchdog::stallCount);
    gauge(registry, "peerd.watchdog.stalled", "What is stalled now, as of the watchdog's last check", Tags.empty(),
        () -> watchdog.stalls().size());
  }
}
