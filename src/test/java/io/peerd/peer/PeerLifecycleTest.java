package io.peerd.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.peerd.testing.LogGate;
import io.peerd.testing.StubPeer;
import io.peerd.testing.TestNodes;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle task's contract in the orders a peer's threads can signal it (the model checks
 * explore the interleavings; these pin the single-thread orders): "added" only for a handshake
 * completed before the close, "done" always, once, last.
 */
class PeerLifecycleTest {
  private final RecordingEvents events = new RecordingEvents();
  private final PeerLifecycle lifecycle = new PeerLifecycle(
      new StubPeer(1, ConnectionKind.INBOUND, new InetSocketAddress("127.0.0.1", 1), 1), events);

  @Test
  void aHandshakeCompletedBeforeTheCloseIsReportedAddedThenDone() {
    lifecycle.handshakeCompleted();
    lifecycle.closed();
    lifecycle.run();

    assertThat(events.facts).containsExactly("added", "done after added");
  }

  /** Seed 000: the handshake timeout closed the peer just as its verack was being handled. */
  @Test
  void aHandshakeCompletedAfterTheCloseIsNotReportedAdded() {
    lifecycle.closed();
    lifecycle.handshakeCompleted();
    lifecycle.run();

    assertThat(events.facts).containsExactly("done, never added");
  }

  @Test
  void repeatedSignalsReportOnceAndARepeatedCompletionIsWarnedAbout() {
    try (LogGate log = LogGate.record(PeerLifecycle.class)) {
      lifecycle.handshakeCompleted();
      assertThat(log.messages(Level.WARN)).isEmpty();
      lifecycle.handshakeCompleted();
      lifecycle.closed();
      lifecycle.closed();
      lifecycle.run();

      assertThat(events.facts).containsExactly("added", "done after added");
      assertThat(log.messages(Level.WARN)).containsExactly("peer 1: handshake completion signalled twice; ignored");
    }
  }

  /** The task waits on its own thread: each signal wakes it, "added" leaves at once, "done" only at the close. */
  @Test
  void aWaitingTaskReportsAddedWhenTheHandshakeCompletesAndDoneWhenThePeerCloses() throws Exception {
    CompletableFuture<Void> task = Parked.parkedOnNewThread(this::runLifecycle);

    lifecycle.handshakeCompleted();
    await().atMost(TestNodes.PROMPTLY).until(() -> events.facts.contains("added"));
    assertThat(task).as("done waits for the close").isNotDone();
    lifecycle.closed();

    task.get(TestNodes.PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
    lifecycle.closed(); // late signals from other threads, after the task ended, find the lock free
    lifecycle.handshakeCompleted();
    assertThat(events.facts).containsExactly("added", "done after added");
  }

  @Test
  void aWaitingTaskReportsOnlyDoneWhenThePeerClosesBeforeItsHandshake() throws Exception {
    CompletableFuture<Void> task = Parked.parkedOnNewThread(this::runLifecycle);

    lifecycle.closed();

    task.get(TestNodes.PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(events.facts).containsExactly("done, never added");
  }

  private Void runLifecycle() {
    lifecycle.run();
    return null;
  }
}
