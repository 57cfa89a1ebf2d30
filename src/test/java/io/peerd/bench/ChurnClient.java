package io.peerd.bench;

import io.peerd.testing.RawPeer;
import io.peerd.wire.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The churn client of {@link ChurnBenchmark}, the same code for every target node: waves of
 * connections that all start at once, each from a loopback address of its own, each doing the
 * inbound version/verack handshake ({@link RawPeer}) and closing at once; a wave ends when all
 * its connections have. Every connection's outcome is classified, so a refusal the node chose
 * (it closed the socket before saying anything, as peerd's admission and bcoin's inbound limit
 * do) is not counted as a failed handshake.
 */
final class ChurnClient {
  /** What became of one connection. */
  enum Outcome {
    COMPLETED("handshake completed"),
    REFUSED("refused: closed by the node before its version (admission)"),
    CONNECT_FAILED("failed: TCP connect"),
    TIMED_OUT("failed: no answer within " + RawPeer.TIMEOUT.toSeconds() + " s"),
    CLOSED_MID_HANDSHAKE("failed: closed by the node after its version, before its verack"),
    OTHER("failed: other");

    final String text;

    Outcome(String text) {
      this.text = text;
    }

    boolean failed() {
      return this != COMPLETED && this != REFUSED;
    }
  }

  /** Several waves together: counts by outcome, wall time, and each wave's time. */
  record Result(int waves, int wavePeers, Map<Outcome, Long> outcomes, long wallNanos, List<Long> waveNanos,
      Map<Outcome, String> firstError) {
    long count(Outcome outcome) {
      return outcomes.getOrDefault(outcome, 0L);
    }

    long failed() {
      return outcomes.entrySet().stream().filter(e -> e.getKey().failed()).mapToLong(Map.Entry::getValue).sum();
    }

    double cyclesPerSecond() {
      return count(Outcome.COMPLETED) / (wallNanos / 1e9);
    }
  }

  private final InetSocketAddress target;
  private final int wavePeers;
  /** Counts connections over all waves, so consecutive ones get different source addresses. */
  private long connectionsMade;

  ChurnClient(InetSocketAddress target, int wavePeers) {
    this.target = target;
    this.wavePeers = wavePeers;
  }

  /** Runs {@code waves} waves back to back. */
  Result run(int waves) throws InterruptedException {
    Map<Outcome, AtomicLong> counts = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      counts.put(outcome, new AtomicLong());
    }
    Map<Outcome, String> firstError = new ConcurrentHashMap<>();
    List<Long> waveNanos = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < waves; w++) {
      long waveStart = System.nanoTime();
      wave(counts, firstError);
      waveNanos.add(System.nanoTime() - waveStart);
    }
    long wall = System.nanoTime() - start;
    Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    counts.forEach((outcome, count) -> outcomes.put(outcome, count.get()));
    return new Result(waves, wavePeers, outcomes, wall, waveNanos, Map.copyOf(firstError));
  }

  private void wave(Map<Outcome, AtomicLong> counts, Map<Outcome, String> firstError) throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService peers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < wavePeers; i++) {
        InetAddress from = sourceAddress(connectionsMade++);
        peers.submit(() -> {
          go.await();
          Attempt attempt = cycle(from);
          counts.get(attempt.outcome()).incrementAndGet();
          if (attempt.error() != null) {
            firstError.putIfAbsent(attempt.outcome(), attempt.error());
          }
          return null;
        });
      }
      go.countDown();
    } // waits for every connection of the wave
  }

  /**
   * Connection {@code n}'s source, 127.a.b.c: consecutive connections differ in a (the /16) and
   * b, so each of a wave's connections has a /24 of its own and per-network limits never bite.
   */
  static InetAddress sourceAddress(long n) {
    int a = 1 + (int) (n % 250);
    int b = (int) (n / 250 % 250);
    int c = 1 + (int) (n / 62_500 % 250);
    try {
      return InetAddress.getByAddress(new byte[] {127, (byte) a, (byte) b, (byte) c});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Attempt(Outcome outcome, String error) {}

  /** One connect, handshake and close; RawPeer's reads fail with an AssertionError on its timeout. */
  private Attempt cycle(InetAddress from) {
    RawPeer peer;
    try {
      peer = RawPeer.connectFrom(from, target);
    } catch (IOException e) {
      return new Attempt(Outcome.CONNECT_FAILED, e.toString());
    }
    boolean theirVersion = false;
    try (peer) {
      peer.sendVersion();
      peer.expect(Message.Version.class);
      theirVersion = true;
      peer.expectVerack();
      peer.sendVerack();
      return new Attempt(Outcome.COMPLETED, null);
    } catch (IOException e) { // end of stream or a reset: the node closed the connection
      return theirVersion ? new Attempt(Outcome.CLOSED_MID_HANDSHAKE, e.toString())
          : new Attempt(Outcome.REFUSED, null);
    } catch (AssertionError e) {
      return new Attempt(e.getMessage() != null && e.getMessage().contains(" within ") ? Outcome.TIMED_OUT
          : Outcome.OTHER, e.getMessage());
    } catch (RuntimeException e) {
      return new Attempt(Outcome.OTHER, e.toString());
    }
  }
}
