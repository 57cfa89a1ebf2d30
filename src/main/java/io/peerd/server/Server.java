package io.peerd.server;

import io.peerd.actor.Actor;
import io.peerd.actor.Mailbox;
import io.peerd.actor.Timers;
import io.peerd.addrman.KnownAddress;
import io.peerd.addrman.RoutingPolicy;
import io.peerd.banman.Subnet;
import io.peerd.chain.ChainView;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.discovery.SeedLookup;
import io.peerd.connmgr.WorkerHost;
import io.peerd.net.Connection;
import io.peerd.net.Transport;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.ManagedPeer;
import io.peerd.peer.PeerEvents;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.server.ServerEvent.*; // the server's messages, one record each
import io.peerd.sync.SyncInput;
import io.peerd.wire.Message;
import java.net.InetSocketAddress;
import java.util.List;
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
 * duplicates and the simultaneous-dial tie-break of {@link Registry}), and starts the peers of the
 * dials of {@link PersistentPeers}' workers and of {@link OutboundSlots}. Each peer's "added" and
 * "done" arrive here from the peer's lifecycle task and leave for the sync manager in the same
 * order, on this one thread. Its other duties are parts it alone calls, on this thread:
 * {@link AddressRelay} and {@link TipAnnouncer}.
 *
 * <p>Mailbox: inbound sockets, address messages and RPC requests count against
 * {@link #mailboxCapacity}; refused sockets are closed, refused address messages
 * dropped, refused RPC requests answered "busy". Everything else is bounded by construction: per
 * peer one version, one "added", one "done" and one "misbehaved"; per dial attempt one request
 * and one result; tip and tick notifications are coalesced to one pending each.
 */
public final class Server extends Actor<ServerEvent> implements PeerEvents, WorkerHost {
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  /** Creates peers for connections the server admits. */
  public interface PeerFactory {
    ManagedPeer create(Connection connection, ConnectionKind kind);
  }

  /** Creates the worker of a persistent peer, owned and started by the server. */
  public interface WorkerFactory {
    /** @param firstDelayMillis wait before the worker's first dial */
    ConnectionWorker create(InetSocketAddress peer, WorkerHost host, long firstDelayMillis);
  }

  /** What addnode asks. */
  public enum AddNodeCommand { ADD, REMOVE, ONETRY }

  private final ServerConfig config;
  private final SyncInput sync;
  private final PeerFactory peers;
  private final Timers timers;
  private final LongSupplier clockMillis;
  private final Registry registry;
  private final Bans bans;
  private final InboundSlots inboundSlots;
  private final RefusalLog refusals;
  private final PersistentPeers persistentPeers;
  private final OutboundSlots outboundSlots;
  private final AddressRelay addressRelay;
  private final TipAnnouncer tipAnnouncer;
  private final OperatorRequests operatorRequests;
  private final PeerFinder peerFinder;
  private final AtomicBoolean tipChangePending = new AtomicBoolean();
  private final AtomicBoolean tickPending = new AtomicBoolean();
  private final ServerState state = new ServerState();
  private Timers.Timer tickTimer;
  private CompletableFuture<Void> shutdownReply;

  public Server(ServerConfig config, SyncInput sync, ChainView chain, InitialBlockDownload initialBlockDownload,
      Transport transport, PeerFactory peers,
      WorkerFactory workerFactory, Timers timers, Mailbox mailbox, ThreadFactory actorThread,
      ThreadFactory dialThreads, SeedLookup seedLookup, LongSupplier clockMillis, Random random) {
    super("server", mailbox, actorThread);
    this.config = config;
    this.sync = sync;
    this.peers = peers;
    this.timers = timers;
    this.clockMillis = clockMillis;
    this.registry = new Registry(config.listenAddress());
    this.bans = new Bans(config, clockMillis, state.counters());
    DialPolicy dialPolicy = new DialPolicy(config.listenAddress(), registry, bans);
    this.refusals = new RefusalLog(clockMillis.getAsLong(), state.counters());
    byte[] groupKey = new byte[32];
    random.nextBytes(groupKey);
    this.inboundSlots = new InboundSlots(config, registry, bans, refusals, groupKey);
    this.persistentPeers = new PersistentPeers(workerFactory, this, registry, dialPolicy, this::shuttingDown,
        clockMillis, random, state::changed);
    AddressBook addressBook = new AddressBook(config.discovery().addressFile(),
        Optional.ofNullable(config.discovery().routingPolicy()).orElse(RoutingPolicy.STRICT), random, clockMillis);
    this.peerFinder = new PeerFinder(config, addressBook, seedLookup,
        (seed, addresses) -> tellBounded(new SeedAnswered(seed, addresses)), registry::activeCount,
        () -> registry.count(ConnectionKind.OUTBOUND_FULL), clockMillis);
    this.outboundSlots = new OutboundSlots(config, registry, addressBook, dialPolicy, persistentPeers, transport,
        dialThreads, (address, kind, connection) -> tellBounded(new OneShotDialed(address, kind, connection)),
        this::shuttingDown, new Anchors(Optional.ofNullable(config.discovery().addressFile())
            .map(file -> file.resolveSibling("anchors.dat")).orElse(null)), clockMillis, random);
    this.addressRelay = new AddressRelay(registry, addressBook, address -> persistentPeers.addressLearned(address),
        clockMillis, random.nextLong());
    this.tipAnnouncer = new TipAnnouncer(chain, initialBlockDownload, registry);
    this.operatorRequests = new OperatorRequests(registry, persistentPeers, outboundSlots, bans, state);
  }

  /** Room for pending inbound sockets and, per peer, an address message and an RPC request. */
  public static int mailboxCapacity(ServerConfig config) {
    return config.maxPendingInbound() + 2 * config.maxPeers();
  }

  /** What RPC reads without asking the server: its peers and workers, published after each burst of events. */
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
      received.peer().disconnect(DisconnectReason.OVERLOADED, "the sync manager's mailbox is full");
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

  /** RPC setban add (until {@code untilSeconds}) or remove; the subnet's peers are disconnected on add. */
  public CompletableFuture<Void> setBan(Subnet subnet, boolean add, long untilSeconds) {
    return request(reply -> new SetBan(subnet, add, untilSeconds, reply));
  }

  /** RPC clearbanned: every ban and discouragement lifted. */
  public CompletableFuture<Void> clearBanned() {
    return request(ClearBanned::new);
  }

  /** Stops every worker and disconnects every peer; completes when every peer is done. */
  public CompletableFuture<Void> shutdownPeers() {
    CompletableFuture<Void> reply = new CompletableFuture<>();
    tellBounded(new ShutdownPeers(reply));
    return reply;
  }

  /** RPC getnodeaddresses: up to {@code count} known addresses, 0 for as many as a getaddr answer shows. */
  public CompletableFuture<List<KnownAddress>> nodeAddresses(int count) {
    return request(reply -> new NodeAddresses(count, reply));
  }

  /** RPC addpeeraddress: true if the address was new to the address manager. */
  public CompletableFuture<Boolean> addPeerAddress(InetSocketAddress address, boolean tried) {
    return request(reply -> new AddPeerAddress(address, tried, reply));
  }

  private <T> CompletableFuture<T> request(Function<CompletableFuture<T>, ServerEvent> event) {
    CompletableFuture<T> reply = new CompletableFuture<>();
    if (!tell(event.apply(reply))) {
      reply.completeExceptionally(new RequestRefused(-1, "server busy"));
    }
    return reply;
  }

  // ------------------------------------------------------------ actor thread

  @Override
  protected void onStart() {
    tipAnnouncer.start();
    tickTimer = timers.every(config.tickMillis(), () -> {
      if (tickPending.compareAndSet(false, true)) {
        tellBounded(new Tick());
      }
    });
    persistentPeers.startConfigured(config.persistentPeers());
    bans.load();
    state.publishBans(bans.list());
    peerFinder.start();
    outboundSlots.start();
    state.publishIfChanged(registry, persistentPeers);
  }

  @Override
  protected void onStop() {
    tickTimer.cancel();
    stopWorkersAndPeers("server stopped");
    bans.saveIfChanged();
    peerFinder.stop();
    state.publishIfChanged(registry, persistentPeers);
  }

  @Override
  protected void discarded(ServerEvent event) {
    switch (event) {
      case InboundAccepted e -> e.connection().close();
      case AddressMessage e -> e.received().done().run();
      case DialSucceeded e -> e.connection().close();
      case OneShotDialed e -> Optional.ofNullable(e.connection()).ifPresent(Connection::close);
      case ShutdownPeers e -> e.reply().complete(null);
      case Request e -> e.reply().completeExceptionally(new RequestRefused(-1, "server stopped"));
      default -> { }
    }
  }

  @Override
  protected void handle(ServerEvent event) {
    switch (event) {
      case InboundAccepted e -> admitInbound(e.connection());
      case VersionReceived e -> admitVersion(e.peer(), e.version());
      case PeerAdded e -> peerActive(e.peer());
      case PeerDone e -> peerEnded(e.peer(), e.wasAdded());
      case Misbehaved e -> bans.misbehaved(e.peer(), e.reason());
      case AddressMessage e -> addressRelay.handle(e.received());
      case TipChanged e -> {
        tipChangePending.set(false);
        tipAnnouncer.announceTip();
        outboundSlots.tipChanged();
      }
      case Tick e -> tick();
      case DialRequested e -> persistentPeers.grantDial(e.worker(), e.attempt(), e.address());
      case DialSucceeded e -> persistentPeers.dialConnected(e.worker(), e.attempt(), e.connection())
          .ifPresent(dialed -> startPeer(e.connection(), ConnectionKind.MANUAL, dialed, e.worker(), e.attempt()));
      case DialFailed e -> persistentPeers.dialFailed(e.worker(), e.attempt());
      case OneShotDialed e -> outboundSlots.dialEnded(e.address(), e.connection())
          .ifPresent(connection -> startPeer(connection, e.kind(), e.address(), null, 0));
      case AddNode e -> answer(e.reply(), operatorRequests.addNode(e.address(), e.command()));
      case DisconnectNode e -> answer(e.reply(), operatorRequests.disconnectNode(e.address(), e.peerId()));
      case ShutdownPeers e -> beginShutdown(e.reply());
      case SetBan e -> answer(e.reply(), operatorRequests.setBan(e.subnet(), e.add(), e.untilSeconds()));
      case ClearBanned e -> answer(e.reply(), operatorRequests.clearBanned());
      case SeedAnswered e -> peerFinder.seedAnswered(e.seed(), e.addresses());
      case NodeAddresses e -> e.reply().complete(peerFinder.nodeAddresses(e.count()));
      case AddPeerAddress e -> e.reply().complete(peerFinder.addPeerAddress(e.address(), e.tried()));
    }
  }

  private void admitInbound(Connection connection) {
    if (inboundSlots.admit(connection.remoteAddress().getAddress(), shuttingDown())) {
      startPeer(connection, ConnectionKind.INBOUND, null, null, 0);
    } else {
      connection.close();
    }
  }

  private void startPeer(Connection connection, ConnectionKind kind, InetSocketAddress identity,
      ConnectionWorker worker, long attempt) {
    ManagedPeer peer = peers.create(connection, kind);
    registry.add(new Registry.Entry(peer, kind, identity, worker, attempt, clockMillis.getAsLong()));
    peer.start();
    state.changed();
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
    if (entry.kind() == ConnectionKind.FEELER) {
      peerFinder.feelerAnswered(entry, version.services());
      peer.disconnect(DisconnectReason.REQUESTED, "feeler: the address answers");
      return;
    }
    if (entry.identity() == null) {
      entry.setIdentity(Registry.claimedIdentity(peer.remoteAddress().getAddress(), version.sender()));
    }
    Registry.Admission admission = registry.admit(entry);
    switch (admission) {
      case Registry.Admission.Refuse refuse -> peer.disconnect(DisconnectReason.DUPLICATE, refuse.reason());
      case Registry.Admission.Accept accept -> {
        accept.displaced().forEach(this::displace);
        persistentPeers.connectionAdmitted(entry);
        peer.admit();
      }
    }
  }

  /** Both ends of a connection to ourselves are closed, and that address is never dialed again. */
  private void refuseSelfConnection(ManagedPeer inbound, Registry.Entry outbound) {
    log.info("connected to ourselves through {}: closing both ends", outbound.identity());
    inbound.disconnect(DisconnectReason.SELF_CONNECTION, "inbound side");
    outbound.peer().disconnect(DisconnectReason.SELF_CONNECTION, "outbound side");
    registry.markSelf(outbound.identity());
  }

  private void displace(Registry.Displaced displaced) {
    switch (displaced) {
      case Registry.Displaced.Connection c -> c.peer().disconnect(DisconnectReason.DUPLICATE, c.reason());
      case Registry.Displaced.Dial d -> persistentPeers.dialDisplaced(d.worker(), d.attempt());
    }
  }

  private void peerActive(PeerHandle peer) {
    Registry.Entry entry = registry.get(peer.id());
    if (entry == null) {
      throw new IllegalStateException("added for unknown peer " + peer.id() + ": lifecycle order broken");
    }
    registry.activate(entry);
    sync.peerAdded(peer);
    entry.peer().activated(); // its messages now queue at the sync manager behind its "added"
    persistentPeers.connectionActive(entry);
    peerFinder.connectionActive(entry);
    state.changed();
  }

  private void peerEnded(PeerHandle peer, boolean wasAdded) {
    Registry.Entry entry = registry.remove(peer.id());
    if (entry == null) {
      throw new IllegalStateException("done twice for peer " + peer.id());
    }
    if (wasAdded) {
      sync.peerDone(peer);
    }
    persistentPeers.connectionEnded(entry);
    peerFinder.connectionEnded(entry);
    state.changed();
    if (shuttingDown() && registry.isEmpty()) {
      answer(shutdownReply, Optional.empty());
    }
  }

  // ------------------------------------------------------------ tick, RPC requests, shutdown

  private void tick() {
    tickPending.set(false);
    bans.saveIfChanged();
    peerFinder.tick();
    refusals.summarizeIfDue(clockMillis.getAsLong());
    persistentPeers.forgetEndedWorkers();
    outboundSlots.fill();
  }

  /** Publishes first: whoever the answer wakes (RPC, the shutdown joining workers) sees the state it left. */
  private void answer(CompletableFuture<Void> reply, Optional<RequestRefused> refusal) {
    state.publishIfChanged(registry, persistentPeers);
    refusal.ifPresentOrElse(reply::completeExceptionally, () -> reply.complete(null));
  }

  private void beginShutdown(CompletableFuture<Void> reply) {
    shutdownReply = reply;
    outboundSlots.saveAnchors();
    stopWorkersAndPeers("node shutting down");
    if (registry.isEmpty()) {
      answer(reply, Optional.empty());
    }
  }

  private void stopWorkersAndPeers(String detail) {
    persistentPeers.stopAll();
    outboundSlots.cancelAll();
    registry.entries().forEach(entry -> entry.peer().disconnect(DisconnectReason.SHUTDOWN, detail));
  }

  private boolean shuttingDown() {
    return shutdownReply != null;
  }

  /** Publishes once per burst of events, not per event: the list is O(connections). */
  @Override
  protected void onCaughtUp() {
    state.publishIfChanged(registry, persistentPeers);
  }
}
