package io.peerd.server;

import io.peerd.actor.Actor;
import io.peerd.actor.Mailbox;
import io.peerd.actor.Timers;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerHost;
import io.peerd.net.Connection;
import io.peerd.net.Transport;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.ManagedPeer;
import io.peerd.peer.PeerEvents;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.sync.SyncInput;
import io.peerd.wire.AddressV2;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import io.peerd.wire.NetworkAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server actor. It alone decides which connections live: it admits inbound sockets (limits,
 * discouragement, per-network handshake limit), admits each remote version (self-connection,
 * duplicates and the simultaneous-dial tie-break of {@link Registry}), grants dials to connection
 * workers and dials address-book peers itself. Each peer's "added" and "done" arrive here from
 * the peer's lifecycle task and leave for the sync manager in the same order, on this one thread.
 *
 * <p>Mailbox: inbound sockets, address messages and RPC requests count against
 * {@link #mailboxCapacity}; refused sockets are closed, refused address messages
 * dropped, refused RPC requests answered "busy". Everything else is bounded by construction: per
 * peer one version, one "added", one "done" and one "misbehaved"; per dial attempt one request
 * and one result; tip and tick notifications are coalesced to one pending each.
 */
public final class Server extends Actor<Server.Event> implements PeerEvents, WorkerHost {
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  /** Headers announced to sendheaders peers per new tip; more than this and only the tip goes, as inv. */
  private static final int MAX_HEADERS_ANNOUNCED = 8;
  private static final int ADDRESS_BOOK_CAPACITY = 10_000;

  /** Creates peers for connections the server admits. */
  public interface PeerFactory {
    ManagedPeer create(Connection connection, ConnectionKind kind);
  }

  /** Creates the worker of a persistent peer, owned and started by the server. */
  public interface WorkerFactory {
    /** @param firstDelayMillis wait before the worker's first dial */
    ConnectionWorker create(InetSocketAddress peer, WorkerHost host, long firstDelayMillis);
  }

  /** Persistent peers dialed at once at startup; the others wait a random delay, to spread the load. */
  static final int PERSISTENT_PEERS_DIALED_AT_ONCE = 10;
  static final long MAX_STARTUP_DELAY_MILLIS = 30_000;

  /** What addnode asks. */
  public enum AddNodeCommand { ADD, REMOVE, ONETRY }

  /** A refused RPC request, with the Bitcoin Core error code to answer with. */
  public static final class RequestRefused extends RuntimeException {
    private final int code;

    public RequestRefused(int code, String message) {
      super(message);
      this.code = code;
    }

    /** Core's answer when disconnectnode names no connected peer. */
    public static RequestRefused nodeNotConnected() {
      return new RequestRefused(-29, "Node not found in connected nodes");
    }

    public int code() {
      return code;
    }
  }

  sealed interface Event {}

  private record InboundAccepted(Connection connection) implements Event {}

  private record VersionReceived(ManagedPeer peer, Message.Version version) implements Event {}

  private record PeerAdded(PeerHandle peer) implements Event {}

  private record PeerDone(PeerHandle peer, boolean wasAdded) implements Event {}

  private record Misbehaved(PeerHandle peer, String reason) implements Event {}

  private record AddressMessage(Received received) implements Event {}

  private record TipChanged() implements Event {}

  private record Tick() implements Event {}

  private record DialRequested(ConnectionWorker worker, long attempt, InetSocketAddress address) implements Event {}

  private record DialSucceeded(ConnectionWorker worker, long attempt, Connection connection) implements Event {}

  private record DialFailed(ConnectionWorker worker, long attempt) implements Event {}

  private record OneShotDialed(InetSocketAddress address, ConnectionKind kind, Connection connection)
      implements Event {}

  private record AddNode(InetSocketAddress address, AddNodeCommand command, CompletableFuture<Void> reply)
      implements Event {}

  private record DisconnectNode(Optional<InetSocketAddress> address, Optional<Long> peerId,
      CompletableFuture<Void> reply) implements Event {}

  private record ShutdownPeers(CompletableFuture<Void> reply) implements Event {}

  private final ServerConfig config;
  private final SyncInput sync;
  private final ChainView chain;
  private final InitialBlockDownload initialBlockDownload;
  private final Transport transport;
  private final PeerFactory peers;
  private final WorkerFactory workerFactory;
  private final Timers timers;
  private final ThreadFactory dialThreads;
  private final LongSupplier clockMillis;
  private final Registry registry;
  private final Discouragement discouragement;
  private final AddressBook addressBook;
  private final Random random;
  private final Map<InetSocketAddress, ConnectionWorker> workers = new LinkedHashMap<>();
  /**
   * Workers removed by RPC and told to stop whose threads may still run, so that node shutdown
   * can join them too; pruned every tick, so bounded by the removals of one tick period.
   */
  private final List<ConnectionWorker> stoppingWorkers = new ArrayList<>();
  private final AtomicBoolean tipChangePending = new AtomicBoolean();
  private final AtomicBoolean tickPending = new AtomicBoolean();
  private final ServerState state = new ServerState();
  private HeaderNode lastAnnounced;
  private Timers.Timer tickTimer;
  private CompletableFuture<Void> shutdownReply;

  public Server(ServerConfig config, SyncInput sync, ChainView chain, InitialBlockDownload initialBlockDownload,
      Transport transport, PeerFactory peers,
      WorkerFactory workerFactory, Timers timers, Mailbox mailbox, ThreadFactory actorThread,
      ThreadFactory dialThreads, LongSupplier clockMillis, Random random) {
    super("server", mailbox, actorThread);
    this.config = config;
    this.sync = sync;
    this.chain = chain;
    this.initialBlockDownload = initialBlockDownload;
    this.transport = transport;
    this.peers = peers;
    this.workerFactory = workerFactory;
    this.timers = timers;
    this.dialThreads = dialThreads;
    this.clockMillis = clockMillis;
    this.registry = new Registry(config.listenAddress());
    this.discouragement = new Discouragement(config.discourageMillis(), config.maxDiscouraged());
    this.addressBook = new AddressBook(ADDRESS_BOOK_CAPACITY, random);
    this.random = random;
  }

  /** Room for pending inbound sockets and, per peer, an address message and an RPC request. */
  public static int mailboxCapacity(ServerConfig config) {
    return config.maxPendingInbound() + 2 * config.maxPeers();
  }

  /** What RPC reads without asking the server: its peers and workers, republished on every change. */
  public ServerState state() {
    return state;
  }

  // ------------------------------------------------------------ inputs (any thread, never block)

  /** A socket the listener accepted; closed at once if the server is overloaded. */
  public void inboundAccepted(Connection connection) {
    if (!tell(new InboundAccepted(connection))) {
      log.warn("server mailbox full: closing inbound connection from {}", connection.remoteAddress());
      connection.close();
    }
  }

  @Override
  public void versionReceived(ManagedPeer peer, Message.Version version) {
    tellBounded(new VersionReceived(peer, version));
  }

  @Override
  public void peerAdded(PeerHandle peer) {
    tellBounded(new PeerAdded(peer));
  }

  @Override
  public void peerDone(PeerHandle peer, boolean wasAdded) {
    tellBounded(new PeerDone(peer, wasAdded));
  }

  @Override
  public void misbehaved(PeerHandle peer, String reason) {
    tellBounded(new Misbehaved(peer, reason));
  }

  /** On the peer's thread: a peer whose sync data the sync manager has no room for is dropped. */
  @Override
  public void syncMessage(Received received) {
    if (!sync.received(received)) {
      received.done().run();
      received.peer().disconnect("sync manager overloaded");
    }
  }

  /** On the peer's thread: addresses beyond the mailbox's room are dropped (they are advisory). */
  @Override
  public void addressMessage(Received received) {
    if (!tell(new AddressMessage(received))) {
      received.done().run();
    }
  }

  /** The chain's tip moved; coalesced, so a burst of blocks costs one announcement round. */
  public void tipChanged() {
    if (tipChangePending.compareAndSet(false, true)) {
      tellBounded(new TipChanged());
    }
  }

  @Override
  public void requestDial(ConnectionWorker worker, long attempt, InetSocketAddress address) {
    tellBounded(new DialRequested(worker, attempt, address));
  }

  @Override
  public void dialSucceeded(ConnectionWorker worker, long attempt, Connection connection) {
    tellBounded(new DialSucceeded(worker, attempt, connection));
  }

  @Override
  public void dialFailed(ConnectionWorker worker, long attempt) {
    tellBounded(new DialFailed(worker, attempt));
  }

  /** RPC addnode; the reply fails with {@link RequestRefused} as Bitcoin Core would answer. */
  public CompletableFuture<Void> addNode(InetSocketAddress address, AddNodeCommand command) {
    return request(reply -> new AddNode(address, command, reply));
  }

  /** RPC disconnectnode by address or by peer id. */
  public CompletableFuture<Void> disconnectNode(Optional<InetSocketAddress> address, Optional<Long> peerId) {
    return request(reply -> new DisconnectNode(address, peerId, reply));
  }

  /** Stops every worker and disconnects every peer; completes when every peer is done. */
  public CompletableFuture<Void> shutdownPeers() {
    CompletableFuture<Void> reply = new CompletableFuture<>();
    tellBounded(new ShutdownPeers(reply));
    return reply;
  }

  private CompletableFuture<Void> request(Function<CompletableFuture<Void>, Event> event) {
    CompletableFuture<Void> reply = new CompletableFuture<>();
    if (!tell(event.apply(reply))) {
      reply.completeExceptionally(new RequestRefused(-1, "server busy"));
    }
    return reply;
  }

  // ------------------------------------------------------------ actor thread

  @Override
  protected void onStart() {
    lastAnnounced = chain.snapshot().tip();
    tickTimer = timers.every(config.tickMillis(), () -> {
      if (tickPending.compareAndSet(false, true)) {
        tellBounded(new Tick());
      }
    });
    List<InetSocketAddress> persistent = config.persistentPeers();
    for (int i = 0; i < persistent.size(); i++) {
      long delay = i < PERSISTENT_PEERS_DIALED_AT_ONCE ? 0 : (long) (random.nextDouble() * MAX_STARTUP_DELAY_MILLIS);
      addPersistentPeer(persistent.get(i), delay);
    }
  }

  @Override
  protected void onStop() {
    tickTimer.cancel();
    workers.values().forEach(ConnectionWorker::stop);
    registry.entries().forEach(entry -> entry.peer().disconnect("server stopped"));
  }

  @Override
  protected void discarded(Event event) {
    switch (event) {
      case InboundAccepted e -> e.connection().close();
      case AddressMessage e -> e.received().done().run();
      case DialSucceeded e -> e.connection().close();
      case OneShotDialed e -> closeIfPresent(e.connection());
      case AddNode e -> e.reply().completeExceptionally(new RequestRefused(-1, "server stopped"));
      case DisconnectNode e -> e.reply().completeExceptionally(new RequestRefused(-1, "server stopped"));
      case ShutdownPeers e -> e.reply().complete(null);
      default -> { }
    }
  }

  @Override
  protected void handle(Event event) {
    switch (event) {
      case InboundAccepted e -> admitInbound(e.connection());
      case VersionReceived e -> admitVersion(e.peer(), e.version());
      case PeerAdded e -> peerActive(e.peer());
      case PeerDone e -> peerEnded(e.peer(), e.wasAdded());
      case Misbehaved e -> discourage(e.peer().remoteAddress().getAddress(), e.reason());
      case AddressMessage e -> handleAddressMessage(e.received());
      case TipChanged e -> announceTip();
      case Tick e -> tick();
      case DialRequested e -> grantDial(e.worker(), e.attempt(), e.address());
      case DialSucceeded e -> startWorkerPeer(e.worker(), e.attempt(), e.connection());
      case DialFailed e -> registry.endDial(e.worker(), e.attempt());
      case OneShotDialed e -> startOneShotPeer(e.address(), e.kind(), e.connection());
      case AddNode e -> addNode(e);
      case DisconnectNode e -> disconnectNode(e);
      case ShutdownPeers e -> beginShutdown(e.reply());
    }
  }

  private void admitInbound(Connection connection) {
    InetAddress ip = connection.remoteAddress().getAddress();
    String refusal = shutdownReply != null ? "shutting down"
        : discouragement.isDiscouraged(ip, clockMillis.getAsLong()) ? "discouraged"
        : registry.count(ConnectionKind.INBOUND) >= config.maxInbound() ? "inbound limit " + config.maxInbound()
        : registry.handshakingInbound(NetGroup.of(ip)) >= config.maxHandshakingPerNetGroup()
            ? "too many unfinished handshakes from " + NetGroup.of(ip)
            : null;
    if (refusal != null) {
      log.debug("refusing inbound {}: {}", connection.remoteAddress(), refusal);
      connection.close();
      return;
    }
    startPeer(connection, ConnectionKind.INBOUND, null, null, 0);
  }

  private void startPeer(Connection connection, ConnectionKind kind, InetSocketAddress identity,
      ConnectionWorker worker, long attempt) {
    ManagedPeer peer = peers.create(connection, kind);
    registry.add(new Registry.Entry(peer, kind, identity, worker, attempt, clockMillis.getAsLong()));
    peer.start();
    publishState();
  }

  private void admitVersion(ManagedPeer peer, Message.Version version) {
    Registry.Entry entry = registry.get(peer.id());
    if (entry == null) {
      return; // already done
    }
    Optional<Registry.Entry> self = registry.outboundWithNonce(version.nonce());
    if (entry.kind() == ConnectionKind.INBOUND && self.isPresent()) {
      refuseSelfConnection(peer, self.get());
      return;
    }
    if (entry.identity() == null) {
      entry.setIdentity(claimedIdentity(peer, version));
    }
    Registry.Admission admission = registry.admit(entry);
    switch (admission) {
      case Registry.Admission.Refuse refuse -> peer.disconnect(refuse.reason());
      case Registry.Admission.Accept accept -> {
        accept.displaced().forEach(this::displace);
        workerFor(entry.identity()).filter(worker -> entry.worker() != worker).ifPresent(ConnectionWorker::standDown);
        peer.admit();
      }
    }
  }

  /** Both ends of a connection to ourselves are closed, and that address is never dialed again. */
  private void refuseSelfConnection(ManagedPeer inbound, Registry.Entry outbound) {
    log.info("connected to ourselves through {}: closing both ends", outbound.identity());
    inbound.disconnect("self-connection");
    outbound.peer().disconnect("self-connection");
    registry.markSelf(outbound.identity());
  }

  /**
   * The version's sender is trusted as the remote's listening address only if its IP is the
   * connection's IP, so a peer cannot claim to be someone else to push them out.
   */
  private static InetSocketAddress claimedIdentity(PeerHandle peer, Message.Version version) {
    NetworkAddress sender = version.sender();
    InetAddress actual = peer.remoteAddress().getAddress();
    if (sender.port() == 0 || !sender.toInetAddress().equals(actual)) {
      return null;
    }
    return new InetSocketAddress(actual, sender.port());
  }

  private void displace(Registry.Displaced displaced) {
    switch (displaced) {
      case Registry.Displaced.Connection c -> c.peer().disconnect("duplicate: " + c.reason());
      case Registry.Displaced.Dial d -> {
        registry.endDial(d.worker(), d.attempt());
        d.worker().standDown();
      }
    }
  }

  private void peerActive(PeerHandle peer) {
    Registry.Entry entry = registry.get(peer.id());
    if (entry == null) {
      throw new IllegalStateException("added for unknown peer " + peer.id() + ": lifecycle order broken");
    }
    entry.setActive();
    sync.peerAdded(peer);
    entry.peer().activated(); // its messages now queue at the sync manager behind its "added"
    if (entry.worker() != null) {
      entry.worker().attemptConnected(entry.attempt());
    }
    publishState();
  }

  private void peerEnded(PeerHandle peer, boolean wasAdded) {
    Registry.Entry entry = registry.remove(peer.id());
    if (entry == null) {
      throw new IllegalStateException("done twice for peer " + peer.id());
    }
    if (wasAdded) {
      sync.peerDone(peer);
    }
    notifyWorkerOfEnd(entry);
    publishState();
    if (shutdownReply != null && registry.isEmpty()) {
      shutdownReply.complete(null);
    }
  }

  /**
   * The worker of the ended connection's peer dials again if nothing else connects it: the worker
   * that dialed it, or else (an inbound connection, a one-shot dial, or the dial of a worker
   * since removed) the one that stood down for it.
   */
  private void notifyWorkerOfEnd(Registry.Entry entry) {
    long lifetimeMillis = clockMillis.getAsLong() - entry.startedAtMillis();
    if (entry.worker() != null && workers.get(entry.worker().peer()) == entry.worker()) {
      entry.worker().attemptEnded(entry.attempt(), entry.active() ? lifetimeMillis : -1);
      return;
    }
    workerFor(entry.identity()).filter(worker -> !isConnected(worker)).ifPresent(ConnectionWorker::connect);
  }

  /** The worker whose peer has this listening address, as configured or as learned. */
  private Optional<ConnectionWorker> workerFor(InetSocketAddress identity) {
    if (identity == null) {
      return Optional.empty();
    }
    ConnectionWorker configured = workers.get(identity);
    return configured != null ? Optional.of(configured)
        : workers.values().stream().filter(w -> w.addresses().contains(identity)).findFirst();
  }

  private boolean isConnected(ConnectionWorker worker) {
    return registry.hasLive(worker.peer()) || worker.addresses().stream().anyMatch(registry::hasLive);
  }

  private void discourage(InetAddress address, String reason) {
    log.info("discouraging {} for {} ms: {}", address.getHostAddress(), config.discourageMillis(), reason);
    discouragement.discourage(address, clockMillis.getAsLong());
  }

  // ------------------------------------------------------------ dials

  private void grantDial(ConnectionWorker worker, long attempt, InetSocketAddress address) {
    if (!workers.containsValue(worker) || shutdownReply != null) {
      worker.dialRefused(attempt, false);
      return;
    }
    if (isConnected(worker) || registry.hasLive(address)) {
      worker.dialRefused(attempt, true); // a connection to that peer is up: the worker stands down
      return;
    }
    Optional<String> refusal = dialRefusal(address, false);
    if (refusal.isPresent()) {
      log.debug("worker {}: not dialing {}: {}", worker.peer(), address, refusal.get());
      worker.dialRefused(attempt, false);
      return;
    }
    registry.startDial(address, worker, attempt);
    worker.dialPermitted(attempt);
  }

  /**
   * Why {@code address} must not be dialed now, if it must not. An operator's persistent peers
   * are dialed even when discouraged, as in Bitcoin Core: the operator asked for them.
   */
  private Optional<String> dialRefusal(InetSocketAddress address, boolean checkDiscouraged) {
    if (address.equals(config.listenAddress()) || registry.isSelf(address)) {
      return Optional.of("it is our own address");
    }
    if (registry.hasLive(address)) {
      return Optional.of("already connected");
    }
    if (registry.isDialing(address)) {
      return Optional.of("already being dialed");
    }
    if (checkDiscouraged && discouragement.isDiscouraged(address.getAddress(), clockMillis.getAsLong())) {
      return Optional.of("discouraged");
    }
    return Optional.empty();
  }

  private void startWorkerPeer(ConnectionWorker worker, long attempt, Connection connection) {
    Optional<InetSocketAddress> dialed = registry.endDial(worker, attempt);
    if (dialed.isEmpty() || shutdownReply != null) {
      connection.close(); // the dial was cancelled (stand-down, tie-break) after it connected
      worker.attemptEnded(attempt, -1);
      return;
    }
    startPeer(connection, ConnectionKind.MANUAL, dialed.get(), worker, attempt);
  }

  private void dialOnce(InetSocketAddress address, ConnectionKind kind) {
    registry.startDial(address, null, 0);
    dialThreads.newThread(() -> {
      Connection connection = null;
      try {
        connection = transport.dial(address).connect(config.dialTimeoutMillis());
      } catch (java.io.IOException e) {
        log.debug("dial {} failed: {}", address, e.getMessage());
      }
      tellBounded(new OneShotDialed(address, kind, connection));
    }).start();
  }

  private void startOneShotPeer(InetSocketAddress address, ConnectionKind kind, Connection connection) {
    registry.endOneShotDial(address);
    if (connection == null) {
      return;
    }
    if (shutdownReply != null || registry.hasLive(address)) {
      connection.close();
      return;
    }
    startPeer(connection, kind, address, null, 0);
  }

  private void tick() {
    tickPending.set(false);
    if (stoppingWorkers.removeIf(ConnectionWorker::isStopped)) {
      publishState();
    }
    if (shutdownReply != null || config.connectOnly()) {
      return;
    }
    fillOutboundSlot(ConnectionKind.OUTBOUND_FULL, config.maxOutboundFull());
    fillOutboundSlot(ConnectionKind.OUTBOUND_BLOCK_RELAY, config.maxOutboundBlockRelay());
  }

  /** One new dial per tick and kind at most: a slow, steady refill. */
  private void fillOutboundSlot(ConnectionKind kind, int max) {
    if (registry.count(kind) + registry.oneShotDials() >= max) {
      return;
    }
    addressBook.pick(address -> dialRefusal(address, true).isEmpty() && workerFor(address).isEmpty())
        .ifPresent(address -> dialOnce(address, kind));
  }

  // ------------------------------------------------------------ persistent peers (RPC addnode)

  private void addNode(AddNode request) {
    InetSocketAddress address = request.address();
    switch (request.command()) {
      case ADD -> {
        if (workers.containsKey(address)) {
          request.reply().completeExceptionally(new RequestRefused(-23, "Node already added"));
          return;
        }
        addPersistentPeer(address, 0);
      }
      case REMOVE -> {
        ConnectionWorker worker = workers.remove(address);
        if (worker == null) {
          request.reply().completeExceptionally(new RequestRefused(-24, "Node could not be removed. It has not been added previously."));
          return;
        }
        worker.stop();
        stoppingWorkers.add(worker);
        registry.endDials(worker);
        publishState();
      }
      case ONETRY -> {
        Optional<String> refusal = dialRefusal(address, false);
        if (refusal.isEmpty()) {
          dialOnce(address, ConnectionKind.ONE_TRY);
        } else {
          log.info("addnode onetry {}: {}", address, refusal.get());
        }
      }
    }
    request.reply().complete(null);
  }

  private void addPersistentPeer(InetSocketAddress address, long firstDelayMillis) {
    ConnectionWorker worker = workerFactory.create(address, this, firstDelayMillis);
    workers.put(address, worker);
    worker.start();
    if (registry.hasLive(address)) {
      worker.standDown();
    } else {
      worker.connect();
    }
    publishState();
  }

  private void disconnectNode(DisconnectNode request) {
    List<Registry.Entry> matches = registry.entries().stream()
        .filter(entry -> request.peerId().map(id -> id == entry.peer().id()).orElse(true))
        .filter(entry -> request.address().map(a -> a.equals(entry.peer().remoteAddress())
            || a.equals(entry.identity())).orElse(true))
        .toList();
    if (matches.isEmpty()) {
      request.reply().completeExceptionally(RequestRefused.nodeNotConnected());
      return;
    }
    matches.forEach(entry -> entry.peer().disconnect("disconnectnode"));
    request.reply().complete(null);
  }

  private void beginShutdown(CompletableFuture<Void> reply) {
    shutdownReply = reply;
    workers.values().forEach(ConnectionWorker::stop);
    registry.entries().forEach(entry -> entry.peer().disconnect("shutting down"));
    if (registry.isEmpty()) {
      reply.complete(null);
    }
  }

  // ------------------------------------------------------------ addresses

  private void handleAddressMessage(Received received) {
    try {
      PeerHandle peer = received.peer();
      Registry.Entry entry = registry.get(peer.id());
      if (entry == null || !entry.kind().relaysAddresses()) {
        return;
      }
      switch (received.message()) {
        case Message.Addr addr -> addr.addresses().forEach(a -> learn(a.address().toSocketAddress(), a.timeSeconds()));
        case Message.AddrV2 addr -> addr.addresses().forEach(a -> toSocketAddress(a).ifPresent(s -> learn(s, a.timeSeconds())));
        case Message.GetAddr getaddr when peer.isInbound() && entry.answerGetAddrOnce() -> answerGetAddr(peer);
        default -> { }
      }
    } finally {
      received.done().run();
    }
  }

  /**
   * An address with the IP of a persistent peer is taken as another address of that peer (the
   * protocol has no node identity beyond addresses) and goes to its worker.
   */
  private void learn(InetSocketAddress address, long seenSeconds) {
    addressBook.add(address, seenSeconds);
    for (ConnectionWorker worker : workers.values()) {
      if (worker.peer().getAddress().equals(address.getAddress()) && !worker.addresses().contains(address)) {
        List<InetSocketAddress> updated = new ArrayList<>(worker.addresses());
        updated.add(address);
        worker.updateAddresses(updated);
      }
    }
  }

  private static Optional<InetSocketAddress> toSocketAddress(AddressV2 address) {
    if (address.networkId() != AddressV2.NETWORK_IPV4 && address.networkId() != AddressV2.NETWORK_IPV6) {
      return Optional.empty(); // Tor, I2P, CJDNS: peerd does not dial those
    }
    try {
      return Optional.of(new InetSocketAddress(InetAddress.getByAddress(address.address()), address.port()));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private void answerGetAddr(PeerHandle peer) {
    List<Message.TimedAddress> entries = addressBook.sample(Message.MAX_ADDRESSES).stream()
        .map(e -> new Message.TimedAddress(e.getValue(), NetworkAddress.of(e.getKey(), 0)))
        .toList();
    if (!entries.isEmpty()) {
      peer.send(new Message.Addr(entries));
    }
  }

  // ------------------------------------------------------------ relay

  /**
   * Announces every new tip to every handshaked peer, headers to those that asked for them
   * (BIP130) and inv to the others, as Core does: not in initial block download (a burst of
   * announcements of blocks everybody else already has), but whatever headers we know beside it
   * (a miner must not lose a block race to a competitor's header whose block never came).
   */
  private void announceTip() {
    tipChangePending.set(false);
    ChainSnapshot snapshot = chain.snapshot();
    HeaderNode tip = snapshot.tip();
    if (tip == lastAnnounced || initialBlockDownload.isActive(snapshot)) {
      return;
    }
    List<HeaderNode> fresh = newSinceLastAnnounced(tip);
    lastAnnounced = tip;
    Message headers = new Message.Headers(fresh.stream().map(HeaderNode::header).toList());
    Message inv = new Message.Inv(List.of(InventoryItem.block(tip.hash())));
    for (Registry.Entry entry : registry.entries()) {
      if (entry.active()) {
        PeerHandle peer = entry.peer();
        peer.send(peer.prefersHeaderAnnouncements() && !fresh.isEmpty() ? headers : inv);
      }
    }
  }

  /** Blocks since the last announced tip, oldest first; empty after a reorg or a long gap. */
  private List<HeaderNode> newSinceLastAnnounced(HeaderNode tip) {
    if (!lastAnnounced.isAncestorOf(tip) || tip.height() - lastAnnounced.height() > MAX_HEADERS_ANNOUNCED) {
      return List.of();
    }
    List<HeaderNode> fresh = new ArrayList<>();
    for (HeaderNode node = tip; node != lastAnnounced; node = node.parent()) {
      fresh.add(node);
    }
    return fresh.reversed();
  }

  private void publishState() {
    state.publish(registry.entries(), List.copyOf(workers.values()), List.copyOf(stoppingWorkers));
  }

  private static void closeIfPresent(Connection connection) {
    if (connection != null) {
      connection.close();
    }
  }
}
