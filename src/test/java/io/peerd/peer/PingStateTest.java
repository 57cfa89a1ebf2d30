package io.peerd.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PingStateTest {
  private static final long MS = 1_000_000L;
  private static final long INTERVAL_MILLIS = 120_000;
  private static final long TIMEOUT_MILLIS = 20_000;
  private final PingState ping = new PingState();
  private final Random random = new Random(42);

  @Test
  void theFirstPingIsDueAtOnceAndOnlyOneIsOutstanding() {
    OptionalLong first = ping.nextPingNonce(0, INTERVAL_MILLIS, random);
    assertThat(first).isPresent();
    assertThat(ping.nextPingNonce(INTERVAL_MILLIS * 10 * MS, INTERVAL_MILLIS, random))
        .as("no second ping while one is outstanding").isEmpty();
    assertThat(lastRoundTrip()).isEqualTo(-1);
  }

  @Test
  void aQueuedPingGoesOutBeforeTheIntervalAndReplacesTheOutstandingOne() {
    long first = ping.nextPingNonce(0, INTERVAL_MILLIS, random).orElseThrow();
    ping.queue();

    long second = ping.nextPingNonce(MS, INTERVAL_MILLIS, random).orElseThrow();
    assertThat(ping.nextPingNonce(2 * MS, INTERVAL_MILLIS, random)).as("one queued ping, sent once").isEmpty();
    ping.pongReceived(first, 3 * MS);
    assertThat(lastRoundTrip()).as("the replaced ping's pong is ignored").isEqualTo(-1);
    ping.pongReceived(second, 4 * MS);
    assertThat(lastRoundTrip()).isEqualTo(3 * MS);
  }

  @Test
  void theMatchingPongEndsThePingAndRecordsTheRoundTrip() {
    long nonce = ping.nextPingNonce(1_000 * MS, INTERVAL_MILLIS, random).orElseThrow();
    ping.pongReceived(nonce, 1_250 * MS);
    assertThat(lastRoundTrip()).isEqualTo(250 * MS);
    assertThat(ping.overdue(1_000_000 * MS, TIMEOUT_MILLIS)).isFalse();
  }

  @Test
  void aPongWithAnotherNonceIsIgnored() {
    long nonce = ping.nextPingNonce(0, INTERVAL_MILLIS, random).orElseThrow();
    ping.pongReceived(nonce + 1, 10 * MS);
    assertThat(lastRoundTrip()).isEqualTo(-1);
    assertThat(ping.overdue(TIMEOUT_MILLIS * MS, TIMEOUT_MILLIS)).isTrue();
    ping.pongReceived(nonce, TIMEOUT_MILLIS * MS);
    assertThat(lastRoundTrip()).isEqualTo(TIMEOUT_MILLIS * MS);
  }

  @Test
  void aRepeatedPongDoesNotChangeTheRoundTrip() {
    long nonce = ping.nextPingNonce(0, INTERVAL_MILLIS, random).orElseThrow();
    ping.pongReceived(nonce, 5 * MS);
    ping.pongReceived(nonce, 900 * MS);
    assertThat(lastRoundTrip()).isEqualTo(5 * MS);
  }

  @Test
  void theNextPingWaitsForTheIntervalSinceTheLastWasSent() {
    long sentAt = 7_000 * MS;
    long nonce = ping.nextPingNonce(sentAt, INTERVAL_MILLIS, random).orElseThrow();
    ping.pongReceived(nonce, sentAt + 100 * MS);
    assertThat(ping.nextPingNonce(sentAt + (INTERVAL_MILLIS - 1) * MS, INTERVAL_MILLIS, random)).isEmpty();
    assertThat(ping.nextPingNonce(sentAt + INTERVAL_MILLIS * MS, INTERVAL_MILLIS, random)).isPresent();
  }

  @Test
  void aPingIsOverdueFromItsTimeout() {
    long sentAt = -5 * MS; // nanoTime may be negative
    ping.nextPingNonce(sentAt, INTERVAL_MILLIS, random).orElseThrow();
    assertThat(ping.overdue(sentAt + (TIMEOUT_MILLIS - 1) * MS, TIMEOUT_MILLIS)).isFalse();
    assertThat(ping.overdue(sentAt + TIMEOUT_MILLIS * MS, TIMEOUT_MILLIS)).isTrue();
  }

  @Test
  void nothingIsOverdueBeforeAnyPing() {
    assertThat(ping.overdue(Long.MAX_VALUE, TIMEOUT_MILLIS)).isFalse();
  }

  @Test
  void theWaitIsShownWhileAPingIsOutAndTheShortestRoundTripIsKept() {
    assertThat(ping.times(0)).isEqualTo(new PingTimes(-1, -1, -1));
    long first = ping.nextPingNonce(0, INTERVAL_MILLIS, random).orElseThrow();
    assertThat(ping.times(30 * MS)).isEqualTo(new PingTimes(-1, -1, 30 * MS));
    ping.pongReceived(first, 40 * MS);
    long second = ping.nextPingNonce(INTERVAL_MILLIS * MS, INTERVAL_MILLIS, random).orElseThrow();
    ping.pongReceived(second, (INTERVAL_MILLIS + 90) * MS);
    assertThat(ping.times(INTERVAL_MILLIS * 2 * MS)).isEqualTo(new PingTimes(90 * MS, 40 * MS, -1));
  }

  private long lastRoundTrip() {
    return ping.times(0).lastRoundTripNanos();
  }
}
