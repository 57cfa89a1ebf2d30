package io.peerd.peer;

import io.peerd.actor.Timers;
import io.peerd.chain.ChainView;
import io.peerd.net.Connection;
import io.peerd.wire.Message;
import io.peerd.wire.WireException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a remote node, from the first byte to the close: it owns the peer's threads,
 * what it publishes (version, sendheaders, close reason, ban score) and its close, and hands the
 * rest to small parts.
 *
 * <p>The reader thread runs the {@link Handshake}, then handles one message at a time: pings
 * itself, requests through {@link Serving}, everything else forwarded to actors under the inbound
 * budget, once the server has passed the peer's "added" on (so the sync manager never gets a
 * message from a peer it does not know yet). A writer thread drains the {@link Outbox} while it
 * has frames, so an idle peer has two threads. The lifecycle task reports "added" and "done", once
 * the reader has ended and the outbox is closed with no writer left. {@link Liveness} enforces the handshake deadline,
 * then the ping and idle deadlines; its timers end with the peer.
 */
public final class Peer implements ManagedPeer {
  private static final Logger log = LoggerFactory.getLogger(Peer.class);
  private static final AtomicLong NEXT_ID = new AtomicLong(1);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Misbehavior score at which a peer is disconnected and its address discouraged. */
  public static final int DISCOURAGE_SCORE = 100;

  private final long id = NEXT_ID.getAndIncrement();
  private final long localNonce = RANDOM.nextLong();
  private final Connection connection;
  private final ConnectionKind kind;
  private final PeerConfig config;
  private final PeerEvents events;
  private final ThreadFactory threads;
  private final Outbox outbox;
  private final MessageReader reader;
  private final Handshake handshake;
  private final Serving serving;
  private final Liveness liveness;
  private final InboundBudget budget;
  private final PeerLifecycle lifecycle;
  private final PeerStats stats;
  private final PeerTotals totals;
  /** Completed true by the server once the sync manager has the peer's "added"; false on close. */
  private final CompletableFuture<Boolean> activation = new CompletableFuture<>();
  private final AtomicReference<String> closeReason = new AtomicReference<>();
  private final AtomicInteger misbehaviorScore = new AtomicInteger();
  private final AtomicInteger liveThreads = new AtomicInteger(2);
  /** The reader's alone. */
  private final AddressRateLimit addressRateLimit = new AddressRateLimit(System.nanoTime());
  private volatile Message.Version version;
  private volatile long closingSinceNanos;
  /** Lifecycle task and reader, and the writer while one runs: for the watchdog, when they outlive the close. */
  private volatile List<Thread> threadsStarted = List.of();
  private final AtomicReference<Thread> writer = new AtomicReference<>();
  private volatile boolean prefersHeaders;
  /** Set by the reader once the handshake completed; read by whichever thread disconnects. */
  private volatile boolean handshakeDone;

  public Peer(Connection connection, ConnectionKind kind, PeerConfig config, ChainView chain, PeerEvents events,
      Timers timers, ThreadFactory threads, PeerTotals totals) {
    this.connection = connection;
    this.totals = totals;
    this.stats = new PeerStats(totals);
    this.kind = kind;
    this.config = config;
    this.events = events;
    this.threads = threads;
    this.outbox = new Outbox(config, stats, this::sendQueueOverflowed, this::startWriter, this::threadEnded);
    this.reader = new MessageReader(connection, config.params().magic(), stats);
    this.handshake = new Handshake(this, config, chain, reader, outbox);
    this.serving = new Serving(chain, outbox, config.servePauseBytes());
    this.liveness = new Liveness(this, config, timers, stats);
    this.budget = new InboundBudget(config.inboundBudgetBytes(), config.inboundMinimumCostBytes());
    this.lifecycle = new PeerLifecycle(this, events);
  }

  /** Starts the reader and lifecycle threads and the handshake deadline. Call once. */
  @Override
  public void start() {
    liveness.start();
    threadsStarted = List.of(threads.newThread(lifecycle), threads.newThread(this::readLoop));
    threadsStarted.forEach(Thread::start);
  }

  @Override
  public void admit() {
    handshake.admit();
  }

  @Override
  public void activated() {
    activation.complete(true);
  }

  // ---------------------------------------------------------------- reader

  private void readLoop() {
    try {
      if (!handshake.exchange()) {
        // Not admitted in time (or closed meanwhile): an unadmitted peer's messages reach nobody.
        disconnect(DisconnectReason.HANDSHAKE_TIMEOUT,
            "not admitted within " + config.handshakeTimeoutMillis() + " ms of its version");
        return;
      }
      completeHandshake();
      while (true) {
        handle(reader.next());
      }
    } catch (ProtocolViolation e) {
      misbehaving(e.score(), e.getMessage());
      disconnect(DisconnectReason.PROTOCOL_VIOLATION, e.getMessage());
    } catch (WireException e) {
      misbehaving(scoreFor(e), "bad message: " + e.getMessage());
      disconnect(DisconnectReason.PROTOCOL_VIOLATION, "bad message: " + e.getMessage());
    } catch (IOException e) {
      disconnect(DisconnectReason.CONNECTION_LOST, e.getMessage());
    } catch (InterruptedException e) {
      disconnect(DisconnectReason.SHUTDOWN, "interrupted");
    } catch (RuntimeException e) {
      log.error("peer {}: unexpected failure", id, e);
      disconnect(DisconnectReason.INTERNAL_ERROR, e.toString());
    } finally {
      threadEnded();
    }
  }

  /** A wrong network or an oversized frame is deliberate; a bad checksum may be line noise. */
  private static int scoreFor(WireException e) {
    return switch (e) {
      case WireException.BadChecksum c -> 0;
      case WireException.Truncated t -> 0;
      default -> DISCOURAGE_SCORE;
    };
  }

  // ---------------------------------------------------------------- handshake hooks

  /**
   * The remote's verack arrived: the liveness check replaces the deadline, our follow-ups go out
   * and the lifecycle task may report "added"; none of that if the peer closed first.
   */
  private void completeHandshake() {
    if (!liveness.handshakeCompleted()) {
      return;
    }
    handshakeDone = true;
    totals.handshakeCompleted();
    Message.Version remote = version;
    handshake.sendAfterVerack(remote);
    lifecycle.handshakeCompleted();
    log.debug("peer {} {} handshake done: {} height {} services {}", id, connection.remoteAddress(),
        remote.userAgent(), remote.startHeight(), remote.services());
  }

  /** The remote's version passed the handshake's checks: published, then offered to the server. */
  void versionChecked(Message.Version remote) {
    stats.versionReceived(remote.timestampSeconds());
    version = remote;
    events.versionReceived(this, remote);
  }

  /** We asked the remote for addresses: its answer may pass the rate limit whole. */
  void getAddrSent() {
    addressRateLimit.getAddrSent();
  }

  /** The remote sent sendheaders (BIP130), during the handshake or after. */
  void headersPreferred() {
    prefersHeaders = true;
  }

  // ---------------------------------------------------------------- messages

  /**
   * Every message after the handshake, by type and exhaustively: served here, or handed to the
   * actor that consumes it (the sync manager, address relay), or ignored.
   */
  private void handle(MessageReader.Incoming incoming) throws InterruptedException {
    Message message = incoming.message();
    switch (message) {
      case Message.Ping p -> send(new Message.Pong(p.nonce()));
      case Message.Pong p -> liveness.pongReceived(p.nonce());
      case Message.SendHeaders s -> headersPreferred();
      case Message.GetHeaders request -> serving.headers(request);
      case Message.GetBlocks request -> serving.blockHashes(request);
      case Message.GetData request -> serving.data(request.items());
      case Message.Headers h -> forward(incoming, events::syncMessage);
      case Message.BlockMessage b -> forward(incoming, events::syncMessage);
      case Message.Inv i -> forward(incoming, events::syncMessage);
      case Message.NotFound n -> forward(incoming, events::syncMessage);
      case Message.Addr a -> forwardAddresses(incoming, a.addresses(), Message.Addr::new);
      case Message.AddrV2 a -> forwardAddresses(incoming, a.addresses(), Message.AddrV2::new);
      case Message.GetAddr g -> forward(incoming, events::addressMessage);
      case Message.FeeFilter f -> stats.feeFilterReceived(f.feeRateSatoshisPerKb());
      case Message.Version v -> ignore(message);
      case Message.Verack v -> ignore(message);
      case Message.SendAddrV2 s -> ignore(message);
      case Message.WtxidRelay w -> ignore(message);
      case Message.Tx t -> ignore(message); // no mempool
      case Message.SendCmpct s -> ignore(message);
      case Message.Unknown u -> ignore(message);
    }
  }

  private void ignore(Message message) {
    log.trace("peer {}: ignoring {}", id, message.command());
  }

  /**
   * Hands a message to the actors, first waiting until the server activated the peer (at once
   * after the first message) and taking the message's cost from the inbound budget (may wait).
   */
  private void forward(MessageReader.Incoming incoming, Consumer<Received> consumer) throws InterruptedException {
    if (!awaitActivation()) {
      return; // closing
    }
    long cost = budget.costOf(incoming.payload().length);
    if (!budget.take(cost)) {
      return; // closing
    }
    AtomicBoolean returned = new AtomicBoolean();
    Runnable done = () -> {
      if (returned.compareAndSet(false, true)) {
        budget.giveBack(cost);
      }
    };
    consumer.accept(new Received(this, incoming.message(), incoming.payload(), done));
  }

  /**
   * Addresses from a peer we relay addresses with, as many as its {@link AddressRateLimit} allows,
   * go to the server; from others, none.
   */
  private <T> void forwardAddresses(MessageReader.Incoming incoming, List<T> addresses,
      Function<List<T>, Message> rebuild) throws InterruptedException {
    if (!kind.relaysAddresses()) {
      ignore(incoming.message());
      return;
    }
    List<T> admitted = addressRateLimit.admit(addresses, System.nanoTime());
    stats.addressesReceived(admitted.size(), addresses.size() - admitted.size());
    Message passed = admitted.size() == addresses.size() ? incoming.message() : rebuild.apply(admitted);
    forward(new MessageReader.Incoming(passed, incoming.payload()), events::addressMessage);
  }

  /**
   * True once the server activated the peer; false if it closed first. The server does so as soon
   * as it handles the peer's "added"; if that takes longer than a handshake may, the peer goes.
   */
  private boolean awaitActivation() throws InterruptedException {
    try {
      return activation.get(config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return false;
    } catch (TimeoutException e) {
      disconnect(DisconnectReason.HANDSHAKE_TIMEOUT,
          "not activated within " + config.handshakeTimeoutMillis() + " ms of its handshake");
      return false;
    }
  }

  // ---------------------------------------------------------------- writer

  /** The outbox calls this when it has frames and no writer; at most one writer runs at a time. */
  private void startWriter() {
    Thread started = threads.newThread(this::writeLoop);
    writer.set(started);
    started.start();
  }

  private void writeLoop() {
    outbox.drainTo(connection.output(), this::writeFailed);
    writer.compareAndSet(Thread.currentThread(), null); // an idle peer keeps no finished thread
  }

  private void writeFailed(Exception e) {
    if (e instanceof IOException) {
      disconnect(DisconnectReason.CONNECTION_LOST, "write failed: " + e.getMessage());
    } else {
      log.error("peer {}: unexpected failure writing", id, e);
      disconnect(DisconnectReason.INTERNAL_ERROR, e.toString());
    }
  }

  @Override
  public boolean send(Message message) {
    return outbox.send(message);
  }

  private void sendQueueOverflowed() {
    if (closeReason.get() == null) {
      disconnect(DisconnectReason.TOO_SLOW, "send queue over " + config.sendQueueCapacityBytes() + " bytes");
    }
  }

  // ---------------------------------------------------------------- closing

  @Override
  public void disconnect(DisconnectReason reason, String detail) {
    if (!closeReason.compareAndSet(null, reason.describe(detail))) {
      return;
    }
    closingSinceNanos = System.nanoTime();
    totals.disconnected(reason, handshakeDone);
    log.debug("peer {} {} disconnecting: {}", id, connection.remoteAddress(), closeReason.get());
    handshake.abandon();
    activation.complete(false);
    liveness.end();
    outbox.close();
    budget.close();
    connection.close();
  }

  /**
   * The reader calls this once when it ends, and the outbox once when it is closed with no writer
   * left; the last one tells the lifecycle task.
   */
  private void threadEnded() {
    if (liveThreads.decrementAndGet() == 0) {
      lifecycle.closed();
    }
  }

  @Override
  public void misbehaving(int score, String reason) {
    if (score <= 0) {
      return;
    }
    int before = misbehaviorScore.getAndAdd(score);
    if (before < DISCOURAGE_SCORE && before + score >= DISCOURAGE_SCORE) {
      log.info("peer {} {} misbehaved ({}): discouraging", id, connection.remoteAddress(), reason);
      events.misbehaved(this, reason);
      disconnect(DisconnectReason.MISBEHAVING, reason);
    }
  }

  // ---------------------------------------------------------------- accessors

  @Override
  public void newBlockDelivered() {
    stats.newBlockDelivered();
  }

  @Override
  public long minPingNanos() {
    long min = liveness.pingTimes().minRoundTripNanos();
    return min < 0 ? Long.MAX_VALUE : min;
  }

  @Override
  public long lastNewBlockMillis() {
    return stats.lastNewBlockMillis();
  }

  @Override
  public long closingSinceNanos() {
    return closingSinceNanos;
  }

  @Override
  public List<Thread> liveThreads() {
    List<Thread> threads = new ArrayList<>(threadsStarted);
    Thread running = writer.get();
    if (running != null) {
      threads.add(running);
    }
    return threads.stream().filter(Thread::isAlive).toList();
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public ConnectionKind kind() {
    return kind;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return connection.remoteAddress();
  }

  public InetSocketAddress localAddress() {
    return connection.localAddress();
  }

  @Override
  public Message.Version version() {
    return version;
  }

  @Override
  public boolean prefersHeaderAnnouncements() {
    return prefersHeaders;
  }

  @Override
  public long localNonce() {
    return localNonce;
  }

  /** Why the peer closed, or null while it is open. */
  public String closeReason() {
    return closeReason.get();
  }

  public int misbehaviorScore() {
    return misbehaviorScore.get();
  }

  public PeerStats stats() {
    return stats;
  }

  public PingTimes pingTimes() {
    return liveness.pingTimes();
  }

  /** Core's ping RPC: a ping at the next liveness check, replacing one unanswered; returns at once. */
  public void requestPing() {
    liveness.requestPing();
  }

  @Override
  public String toString() {
    return "peer " + id + " " + kind + " " + connection.remoteAddress();
  }
}
