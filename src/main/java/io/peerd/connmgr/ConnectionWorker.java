package io.peerd.connmgr;

import io.peerd.actor.Actor;
import io.peerd.actor.Mailbox;
import io.peerd.actor.Timers;
import io.peerd.net.Connection;
import io.peerd.net.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that keeps one persistent peer connected. It alone owns the peer's addresses, its
 * backoff and its current dial: a round tries each address in turn (staggered), asking the server
 * before each dial; a failed round waits the backoff; a connection that ends starts a new round
 * after the backoff. At most one dial is in flight, and every wait (timer, dial) is cancelled at
 * once by stand-down or stop.
 *
 * <p>Commands never get lost and never block the sender: connect, stand-down and address updates
 * are conflated (the latest address list wins, and at most one wake-up message is queued), and
 * stop is the actor's stop flag. Conflating intents keeps their order where it matters: a
 * stand-down followed by a connect still abandons the current attempt before connecting again,
 * since the server forgot that attempt's dial when it asked for the stand-down. Replies about
 * dial attempts are bounded by construction: at most four per attempt, and attempts begin one at
 * a time. A reply for an attempt the worker abandoned releases what it holds: a late connection
 * is closed, a late grant is handed back.
 */
public final class ConnectionWorker extends Actor<ConnectionWorker.Event> {
  private static final Logger log = LoggerFactory.getLogger(ConnectionWorker.class);
  private static final int MAILBOX_CAPACITY = 1; // only the coalesced wake-up counts against it
  /** Addresses kept per peer: the configured one and the most recently learned others. */
  public static final int MAX_ADDRESSES = 8;

  /** The worker as RPC shows it (getaddednodeinfo). */
  public record Info(InetSocketAddress peer, List<InetSocketAddress> addresses, Phase phase, long backoffMillis,
      long nextAttemptAtMillis) {
    public boolean connected() {
      return phase == Phase.CONNECTED;
    }
  }

  public enum Phase { IDLE, WAITING, REQUESTED, DIALING, HANDSHAKING, CONNECTED, STOPPED }

  private enum Intent { CONNECT, STAND_DOWN, STAND_DOWN_THEN_CONNECT }

  sealed interface Event {}

  private record Wake() implements Event {}

  private record DialPermitted(long attempt) implements Event {}

  private record DialRefused(long attempt, boolean alreadyConnected) implements Event {}

  private record DialFinished(long attempt, Connection connection, String error) implements Event {}

  private record AttemptConnected(long attempt) implements Event {}

  private record AttemptEnded(long attempt, long lifetimeMillis) implements Event {}

  private record TimerFired(long generation) implements Event {}

  private final InetSocketAddress peer;
  private final WorkerHost host;
  private final Transport transport;
  private final WorkerConfig config;
  private final Timers timers;
  private final ThreadFactory dialThreads;
  private final LongSupplier clockMillis;
  private final Random random;
  private final AtomicReference<Intent> pendingIntent = new AtomicReference<>();
  /** The latest address list sent; the worker applies it when it differs from {@link #addresses}. */
  private volatile List<InetSocketAddress> latestAddresses;
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private volatile Info info;

  // Owned by the worker's thread.
  private List<InetSocketAddress> addresses;
  private Phase phase = Phase.IDLE;
  private long attempt;
  private int addressIndex;
  /**
   * The address the current attempt asked the server for: dialed once granted, even if an
   * address update shifted the list meanwhile (the server recorded this one as being dialed).
   */
  private InetSocketAddress requestedAddress;
  private long backoffMillis;
  private long firstDelayMillis;
  private Transport.Dial dial;
  private Timers.Timer timer;
  private long timerGeneration;
  private Runnable afterTimer;
  private long nextAttemptAtMillis;

  /**
   * @param firstDelayMillis wait before the very first round (startup spreading), 0 for none
   */
  public ConnectionWorker(InetSocketAddress peer, WorkerHost host, Transport transport, WorkerConfig config,
      Timers timers, ThreadFactory actorThread, ThreadFactory dialThreads, LongSupplier clockMillis, Random random,
      long firstDelayMillis) {
    super("worker " + peer, new Mailbox(MAILBOX_CAPACITY), actorThread);
    this.peer = peer;
    this.host = host;
    this.transport = transport;
    this.config = config;
    this.timers = timers;
    this.dialThreads = dialThreads;
    this.clockMillis = clockMillis;
    this.random = random;
    this.addresses = List.of(peer);
    this.latestAddresses = addresses;
    this.firstDelayMillis = firstDelayMillis;
    publishInfo();
  }

  /** The persistent peer's configured address: its identity. */
  public InetSocketAddress peer() {
    return peer;
  }

  /**
   * The addresses the next dial chooses from: the latest update, even before the worker applied
   * it, so that a sender building on it (the server, one thread) never loses an earlier update.
   */
  public List<InetSocketAddress> addresses() {
    return latestAddresses;
  }

  public Info info() {
    return info;
  }

  // ------------------------------------------------------------ commands (any thread, never block)

  /** Keep the peer connected: dial unless connected, waiting, or dialing already. */
  public void connect() {
    pendingIntent.getAndUpdate(pending -> pending == Intent.STAND_DOWN || pending == Intent.STAND_DOWN_THEN_CONNECT
        ? Intent.STAND_DOWN_THEN_CONNECT : Intent.CONNECT);
    wake();
  }

  /** A connection to the peer is up that is not this worker's: stop dialing and wait. */
  public void standDown() {
    pendingIntent.set(Intent.STAND_DOWN);
    wake();
  }

  /**
   * Replaces the addresses tried from the next dial on; past {@link #MAX_ADDRESSES}, the first
   * and the last ones are kept.
   */
  public void updateAddresses(List<InetSocketAddress> updated) {
    if (updated.isEmpty()) {
      throw new IllegalArgumentException("a persistent peer needs an address");
    }
    List<InetSocketAddress> bounded = updated.size() <= MAX_ADDRESSES ? updated : Stream.concat(
        Stream.of(updated.getFirst()), updated.subList(updated.size() - MAX_ADDRESSES + 1, updated.size()).stream())
        .toList();
    latestAddresses = List.copyOf(bounded);
    wake();
  }

  private void wake() {
    if (wakePending.compareAndSet(false, true) && !tell(new Wake())) {
      throw new AssertionError("the only counted message is the single pending wake-up");
    }
  }

  // ------------------------------------------------------------ server replies (bounded per attempt)

  public void dialPermitted(long attemptId) {
    tellBounded(new DialPermitted(attemptId));
  }

  /** @param alreadyConnected a connection to the peer is up: stand down rather than retry */
  public void dialRefused(long attemptId, boolean alreadyConnected) {
    tellBounded(new DialRefused(attemptId, alreadyConnected));
  }

  public void attemptConnected(long attemptId) {
    tellBounded(new AttemptConnected(attemptId));
  }

  /** @param lifetimeMillis how long the handshaked connection lived; negative if it never completed */
  public void attemptEnded(long attemptId, long lifetimeMillis) {
    tellBounded(new AttemptEnded(attemptId, lifetimeMillis));
  }

  // ------------------------------------------------------------ actor thread

  @Override
  protected void handle(Event event) {
    switch (event) {
      case Wake w -> applyCommands();
      case DialPermitted e -> dialPermittedEvent(e.attempt());
      case DialRefused e -> dialRefusedEvent(e.attempt(), e.alreadyConnected());
      case DialFinished e -> dialFinished(e);
      case AttemptConnected e -> attemptConnectedEvent(e.attempt());
      case AttemptEnded e -> attemptEndedEvent(e.attempt(), e.lifetimeMillis());
      case TimerFired e -> timerFired(e.generation());
    }
    publishInfo();
  }

  @Override
  protected void discarded(Event event) {
    switch (event) {
      case DialFinished e when e.connection() != null -> e.connection().close();
      case DialPermitted e -> host.dialFailed(this, e.attempt());
      default -> { }
    }
  }

  @Override
  protected void onStop() {
    abandonAttempt();
    phase = Phase.STOPPED;
    publishInfo();
  }

  private void applyCommands() {
    wakePending.set(false);
    List<InetSocketAddress> updated = latestAddresses;
    if (updated != addresses) {
      addresses = updated;
      addressIndex = Math.min(addressIndex, addresses.size() - 1);
    }
    Intent intent = pendingIntent.getAndSet(null);
    if (intent == Intent.STAND_DOWN || intent == Intent.STAND_DOWN_THEN_CONNECT) {
      abandonAttempt();
      phase = Phase.IDLE;
    }
    if ((intent == Intent.CONNECT || intent == Intent.STAND_DOWN_THEN_CONNECT) && phase == Phase.IDLE) {
      long delay = firstDelayMillis;
      firstDelayMillis = 0;
      if (delay > 0) {
        waitThen(delay, this::beginRound);
      } else {
        beginRound();
      }
    }
  }

  private void beginRound() {
    addressIndex = 0;
    requestDial();
  }

  private void requestDial() {
    attempt++;
    phase = Phase.REQUESTED;
    requestedAddress = addresses.get(addressIndex);
    host.requestDial(this, attempt, requestedAddress);
  }

  private void dialPermittedEvent(long attemptId) {
    if (attemptId != attempt || phase != Phase.REQUESTED) {
      host.dialFailed(this, attemptId); // a grant we no longer want: hand it back
      return;
    }
    phase = Phase.DIALING;
    InetSocketAddress address = requestedAddress;
    Transport.Dial started = transport.dial(address);
    dial = started;
    dialThreads.newThread(() -> runDial(attemptId, address, started)).start();
  }

  /** On a dial thread: the blocking connect, reported back as one event. */
  private void runDial(long attemptId, InetSocketAddress address, Transport.Dial started) {
    try {
      tellBounded(new DialFinished(attemptId, started.connect(config.connectTimeoutMillis()), null));
    } catch (IOException e) {
      tellBounded(new DialFinished(attemptId, null, address + ": " + e.getMessage()));
    }
  }

  private void dialRefusedEvent(long attemptId, boolean alreadyConnected) {
    if (attemptId != attempt || phase != Phase.REQUESTED) {
      return;
    }
    if (alreadyConnected) {
      phase = Phase.IDLE;
    } else {
      nextAddressOrBackoff();
    }
  }

  private void dialFinished(DialFinished result) {
    if (result.attempt() != attempt || phase != Phase.DIALING) {
      if (result.connection() != null) {
        result.connection().close(); // connected after we gave up on it: closed here, exactly once
      }
      host.dialFailed(this, result.attempt());
      return;
    }
    dial = null;
    if (result.connection() != null) {
      phase = Phase.HANDSHAKING;
      host.dialSucceeded(this, attempt, result.connection());
      return;
    }
    log.debug("worker {}: {}", peer, result.error());
    host.dialFailed(this, attempt);
    nextAddressOrBackoff();
  }

  private void attemptConnectedEvent(long attemptId) {
    if (attemptId == attempt && phase == Phase.HANDSHAKING) {
      phase = Phase.CONNECTED;
      log.info("connected to persistent peer {}", peer);
    }
  }

  private void attemptEndedEvent(long attemptId, long lifetimeMillis) {
    if (attemptId != attempt || (phase != Phase.HANDSHAKING && phase != Phase.CONNECTED)) {
      return;
    }
    if (phase == Phase.HANDSHAKING) {
      nextAddressOrBackoff();
      return;
    }
    backoffMillis = config.backoff().afterConnection(backoffMillis, lifetimeMillis);
    log.info("persistent peer {} disconnected after {} ms; reconnecting", peer, lifetimeMillis);
    backOffThen(this::beginRound);
  }

  private void nextAddressOrBackoff() {
    if (addressIndex + 1 < addresses.size()) {
      addressIndex++;
      waitThen(config.staggerMillis(), this::requestDial);
    } else {
      backOffThen(this::beginRound);
    }
  }

  private void backOffThen(Runnable next) {
    backoffMillis = config.backoff().nextBaseMillis(backoffMillis);
    waitThen(config.backoff().withJitter(backoffMillis, random.nextDouble()), next);
  }

  private void waitThen(long delayMillis, Runnable next) {
    cancelTimer();
    phase = Phase.WAITING;
    afterTimer = next;
    long generation = ++timerGeneration;
    nextAttemptAtMillis = clockMillis.getAsLong() + delayMillis;
    timer = timers.once(delayMillis, () -> tellBounded(new TimerFired(generation)));
  }

  private void timerFired(long generation) {
    if (generation != timerGeneration || phase != Phase.WAITING) {
      return;
    }
    timer = null;
    Runnable next = afterTimer;
    afterTimer = null;
    next.run();
  }

  /** Cancels the timer and the dial, if any; a grant or connection still on its way is released on arrival. */
  private void abandonAttempt() {
    cancelTimer();
    if (dial != null) {
      dial.cancel();
      dial = null;
    }
    attempt++; // replies for the abandoned attempt are now stale
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    timerGeneration++;
    afterTimer = null;
    nextAttemptAtMillis = 0;
  }

  private void publishInfo() {
    info = new Info(peer, addresses, phase, backoffMillis, phase == Phase.WAITING ? nextAttemptAtMillis : 0);
  }
}
