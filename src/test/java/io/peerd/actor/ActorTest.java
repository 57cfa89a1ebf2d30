package io.peerd.actor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The actor runtime's promises: FIFO, stop never lost, nothing discarded silently, errors loud. */
class ActorTest {
  private static final long STOP_MILLIS = 5_000;

  /** Records what it handles and discards; "block" waits for the gate, "overflow" throws a StackOverflowError. */
  static final class Recorder extends Actor<String> {
    final List<String> handled = new CopyOnWriteArrayList<>();
    final List<String> discarded = new CopyOnWriteArrayList<>();
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    /** How many messages it had handled at each {@link #onCaughtUp}. */
    final List<Integer> caughtUpAt = new CopyOnWriteArrayList<>();
    final CountDownLatch caughtUp = new CountDownLatch(1);

    Recorder(int capacity, Thread.UncaughtExceptionHandler uncaught) {
      super("recorder", new Mailbox(capacity),
          Thread.ofPlatform().name("recorder").uncaughtExceptionHandler(uncaught).factory());
    }

    @Override
    protected void handle(String message) {
      switch (message) {
        case "block" -> {
          blocked.countDown();
          awaitGate();
        }
        case "overflow" -> throw new StackOverflowError("deliberate");
        case "fail" -> throw new IllegalStateException("deliberate");
        default -> handled.add(message);
      }
    }

    private void awaitGate() {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    protected void onCaughtUp() {
      caughtUpAt.add(handled.size());
      caughtUp.countDown();
    }

    @Override
    protected void discarded(String message) {
      discarded.add(message);
    }

    boolean send(String message) {
      return tell(message);
    }

    void sendBounded(String message) {
      tellBounded(message);
    }

    Mailbox.Entry sendWithdrawable(String message) {
      return tellWithdrawable(message);
    }

    boolean takeBack(Mailbox.Entry entry) {
      return withdraw(entry);
    }
  }

  private final AtomicReference<Throwable> uncaught = new AtomicReference<>();
  private final Recorder actor = new Recorder(2, (thread, error) -> uncaught.set(error));

  @AfterEach
  void stopActor() throws InterruptedException {
    actor.gate.countDown();
    actor.stop();
    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
  }

  @Test
  void countedAndBoundedMessagesAreHandledInTheOrderSent() throws Exception {
    actor.start();
    actor.send("a");
    actor.sendBounded("b");
    actor.send("c");
    actor.finishAndStop();

    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(actor.handled).containsExactly("a", "b", "c");
  }

  @Test
  void aBurstOfMessagesIsCaughtUpOnceWhenTheMailboxRunsEmpty() throws Exception {
    actor.start();
    blockWithQueued(10);
    actor.gate.countDown();

    assertThat(actor.caughtUp.await(STOP_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(actor.caughtUpAt).as("once, after all ten").containsExactly(10);
  }

  @Test
  void aLongBurstIsCaughtUpAtLeastEveryMaxMessagesAndAtTheEnd() throws Exception {
    int queued = 2 * Actor.MAX_MESSAGES_PER_CATCH_UP + 22;
    actor.start();
    blockWithQueued(queued);
    actor.finishAndStop();
    actor.gate.countDown();

    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    // The blocking message counts too: catch-ups after 64 messages (63 recorded), 128, then the end.
    assertThat(actor.caughtUpAt).containsExactly(Actor.MAX_MESSAGES_PER_CATCH_UP - 1,
        2 * Actor.MAX_MESSAGES_PER_CATCH_UP - 1, queued);
  }

  @Test
  void anActorStoppedAfterMessagesCatchesUpBeforeItEnds() throws Exception {
    actor.start();
    blockWithQueued(2);
    actor.stop();
    actor.gate.countDown();

    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(actor.caughtUpAt).as("the blocking message was handled; the two queued were discarded")
        .containsExactly(0);
    assertThat(actor.discarded).hasSize(2);
  }

  /** Blocks the actor in a message, then queues {@code count} more behind it. */
  private void blockWithQueued(int count) throws InterruptedException {
    actor.sendBounded("block");
    assertThat(actor.blocked.await(STOP_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    for (int i = 0; i < count; i++) {
      actor.sendBounded("m" + i);
    }
  }

  @Test
  void aFullMailboxRefusesCountedMessagesButNeverBoundedOnes() throws Exception {
    actor.start();
    actor.send("block");
    assertThat(actor.blocked.await(STOP_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    assertThat(actor.send("1")).isTrue();
    assertThat(actor.send("2")).isTrue();

    assertThat(actor.send("3")).isFalse();
    actor.sendBounded("bounded");
    assertThat(actor.refusedCount()).isEqualTo(1);

    actor.gate.countDown();
    actor.finishAndStop();
    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(actor.handled).containsExactly("1", "2", "bounded");
  }

  @Test
  void stopEndsTheActorAfterTheMessageInHandAndDiscardsTheRest() throws Exception {
    actor.start();
    actor.send("block");
    assertThat(actor.blocked.await(STOP_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    actor.send("queued");
    actor.sendBounded("queued bounded");

    actor.stop();
    actor.gate.countDown();

    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(actor.handled).isEmpty();
    assertThat(actor.discarded).containsExactly("queued", "queued bounded");
  }

  @Test
  void aMessageSentAfterTheActorStoppedIsDiscardedNotLeftInTheMailbox() throws Exception {
    actor.start();
    actor.stop();
    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();

    assertThat(actor.send("late")).isTrue();
    actor.sendBounded("late bounded");
    assertThat(actor.sendWithdrawable("late withdrawable")).isNull();

    assertThat(actor.discarded).containsExactly("late", "late bounded", "late withdrawable");
    assertThat(actor.mailboxDepth()).isZero();
  }

  @Test
  void aWithdrawnMessageIsNeverHandledAndOneAlreadyTakenCannotBeWithdrawn() throws Exception {
    actor.start();
    actor.send("block");
    assertThat(actor.blocked.await(STOP_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    actor.sendBounded("before");
    Mailbox.Entry withdrawn = actor.sendWithdrawable("withdrawn");
    Mailbox.Entry kept = actor.sendWithdrawable("kept");
    actor.sendBounded("after");

    assertThat(actor.takeBack(withdrawn)).isTrue();
    assertThat(actor.takeBack(withdrawn)).isFalse();
    actor.gate.countDown();
    actor.finishAndStop();

    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(actor.handled).containsExactly("before", "kept", "after");
    assertThat(actor.takeBack(kept)).isFalse();
  }

  @Test
  void anActorThatNeverStartedHasNoThreadAndCountsAsStopped() throws Exception {
    assertThat(actor.thread()).isNull();
    assertThat(actor.isStopped()).isTrue();
    assertThat(actor.awaitStopped(0)).isTrue();
    assertThat(actor.name()).isEqualTo("recorder");
  }

  @Test
  void aSecondStartKeepsTheOneThread() throws Exception {
    actor.start();
    Thread first = actor.thread();

    actor.start();

    assertThat(actor.thread()).isSameAs(first);
    assertThat(actor.isStopped()).isFalse();
    actor.stop();
    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(actor.isStopped()).isTrue();
  }

  /** What the watchdog reads: busy since when, what waits, how much was handled. */
  @Test
  void itsProgressShowsTheMessageInHandWhatWaitsAndWhatWasHandled() throws Exception {
    actor.start();
    actor.send("block");
    assertThat(actor.blocked.await(STOP_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
    actor.send("waiting");

    assertThat(actor.busySinceNanos()).isNotZero();
    assertThat(actor.mailboxDepth()).isOne();
    assertThat(actor.handledCount()).isZero();
    actor.gate.countDown();
    actor.finishAndStop();

    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(actor.handledCount()).isEqualTo(2);
    assertThat(actor.busySinceNanos()).isZero();
    assertThat(actor.mailboxDepth()).isZero();
  }

  @Test
  void anExceptionIsCountedAndTheActorGoesOn() throws Exception {
    actor.start();
    actor.send("fail");
    actor.send("next");
    actor.finishAndStop();

    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(actor.failureCount()).isEqualTo(1);
    assertThat(actor.handled).containsExactly("next");
    assertThat(uncaught.get()).isNull();
  }

  /** A half-dead actor would let its senders' messages pile up unhandled: it ends, loudly. */
  @Test
  void anErrorEndsTheThreadReachesTheUncaughtHandlerAndLaterMessagesAreDiscarded() throws Exception {
    actor.start();
    actor.send("overflow");
    actor.sendBounded("behind the error");

    assertThat(actor.awaitStopped(STOP_MILLIS)).isTrue();
    assertThat(uncaught.get()).isInstanceOf(StackOverflowError.class);
    actor.send("after the error");
    assertThat(actor.handled).isEmpty();
    assertThat(actor.discarded).containsExactly("behind the error", "after the error");
  }
}
