package io.peerd.server;

import io.peerd.addrman.NetworkGroup;
import io.peerd.net.Connection;
import io.peerd.net.Transport;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one-shot dials: those that fill the outbound full-relay and block-relay-only slots
 * from the {@link AddressBook} (never a persistent peer's address: its worker dials it), and RPC
 * addnode onetry. Each dial is registered in the {@link Registry} while it runs on its own dial
 * thread, which reports the result through {@link DialResults} (the server's mailbox); its peer
 * starts only if the address was not connected meanwhile and the server is not shutting down.
 * Dials in flight are kept until they report, so shutdown cancels them ({@link #cancelAll}). RPC
 * onetry dials and connections together stay under {@link ServerConfig#MAX_ADDED_PEERS}.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it (the dial
 * threads only report).
 */
final class OutboundSlots {
  /** The server's log: these are the server's decisions. */
  private static final Logger log = LoggerFactory.getLogger(Server.class);

  /** Where a dial thread reports its end; must not block. */
  interface DialResults {
    /** @param connection null if the dial failed */
    void oneShotDialed(InetSocketAddress address, ConnectionKind kind, Connection connection);
  }

  private final ServerConfig config;
  private final Registry registry;
  private final AddressBook addressBook;
  private final DialPolicy dialPolicy;
  private final PersistentPeers persistentPeers;
  private final Transport transport;
  private final ThreadFactory dialThreads;
  private final DialResults results;
  private final BooleanSupplier shuttingDown;
  private final Anchors anchors;
  private final LongSupplier clockMillis;
  private final StaleTip staleTip;
  private final Random random;
  private long nextFeelerMillis;
  /** The last run's block-relay-only peers, dialed before any other automatic outbound peer. */
  private List<InetSocketAddress> pendingAnchors = List.of();
  /** Dials in flight by address (the registry allows one per address), with their kind. */
  private final Map<InetSocketAddress, InFlight> inFlight = new HashMap<>();

  private record InFlight(ConnectionKind kind, Transport.Dial dial) {}

  OutboundSlots(ServerConfig config, Registry registry, AddressBook addressBook, DialPolicy dialPolicy,
      PersistentPeers persistentPeers, Transport transport, ThreadFactory dialThreads, DialResults results,
      BooleanSupplier shuttingDown, Anchors anchors, LongSupplier clockMillis, Random random) {
    this.config = config;
    this.registry = registry;
    this.addressBook = addressBook;
    this.dialPolicy = dialPolicy;
    this.persistentPeers = persistentPeers;
    this.transport = transport;
    this.dialThreads = dialThreads;
    this.results = results;
    this.shuttingDown = shuttingDown;
    this.anchors = anchors;
    this.clockMillis = clockMillis;
    this.random = random;
    this.staleTip = new StaleTip(clockMillis.getAsLong());
  }

  /** The chain's tip moved: a stale-tip extra peer, if any, is no longer needed. */
  void tipChanged() {
    staleTip.tipChanged(clockMillis.getAsLong());
  }

  /** At start: the seed nodes are asked for addresses, and the last run's anchors become the first dials. */
  void start() {
    pendingAnchors = anchors.take();
    config.discovery().seedNodes().stream().filter(seed -> dialPolicy.operatorDialRefusal(seed).isEmpty())
        .forEach(seed -> dial(seed, ConnectionKind.ADDR_FETCH));
  }

  /** At shutdown, before the peers go: the block-relay-only peers connected now are the next run's anchors. */
  void saveAnchors() {
    anchors.save(registry.entries().stream()
        .filter(e -> e.kind() == ConnectionKind.OUTBOUND_BLOCK_RELAY && e.active() && e.identity() != null)
        .map(Registry.Entry::identity).toList());
  }

  /** Dials to fill the outbound slots, unless shutting down or told to connect only to given peers. */
  void fill() {
    if (shuttingDown.getAsBoolean() || config.connectOnly()) {
      return;
    }
    if (!pendingAnchors.isEmpty()) {
      pendingAnchors.stream().filter(a -> dialPolicy.automaticDialRefusal(a).isEmpty())
          .forEach(anchor -> dial(anchor, ConnectionKind.OUTBOUND_BLOCK_RELAY));
      pendingAnchors = List.of();
      return;
    }
    int fullRelaySlots = staleTip.fullRelaySlots(config.maxOutboundFull(), clockMillis.getAsLong());
    StaleTip.extraPeer(registry.entries(), fullRelaySlots)
        .ifPresent(extra -> extra.peer().disconnect(DisconnectReason.REQUESTED, "the tip moved: extra peer no longer needed"));
    fillOne(ConnectionKind.OUTBOUND_FULL, fullRelaySlots);
    fillOne(ConnectionKind.OUTBOUND_BLOCK_RELAY, config.maxOutboundBlockRelay());
    feelIfDue();
  }

  /**
   * Core's feelers: with every outbound slot taken, now and then (at random, {@link
   * ServerConfig.Discovery#feelerIntervalMillis} apart on average) one short connection to an
   * address not yet tried, which moves it to the tried table if it answers.
   */
  private void feelIfDue() {
    long now = clockMillis.getAsLong();
    boolean slotsFull = registry.count(ConnectionKind.OUTBOUND_FULL) >= config.maxOutboundFull()
        && registry.count(ConnectionKind.OUTBOUND_BLOCK_RELAY) >= config.maxOutboundBlockRelay();
    boolean feelerOut = registry.count(ConnectionKind.FEELER) > 0
        || inFlight.values().stream().anyMatch(d -> d.kind() == ConnectionKind.FEELER);
    if (now < nextFeelerMillis || !slotsFull || feelerOut) {
      return;
    }
    double meanMillis = config.discovery().feelerIntervalMillis();
    nextFeelerMillis = now + (long) (-Math.log(1 - random.nextDouble()) * meanMillis);
    addressBook.feelerCandidate(address -> dialPolicy.automaticDialRefusal(address).isEmpty()
            && persistentPeers.workerFor(address).isEmpty())
        .ifPresent(address -> {
          addressBook.attempted(address);
          dial(address, ConnectionKind.FEELER);
        });
  }

  /** One new dial per call and kind at most: a slow, steady refill, never two outbound peers in one network group. */
  private void fillOne(ConnectionKind kind, int max) {
    long dialing = inFlight.values().stream().filter(d -> d.kind() == kind).count();
    if (registry.count(kind) + dialing >= max) {
      return;
    }
    addressBook.pick(address -> dialPolicy.automaticDialRefusal(address).isEmpty()
            && persistentPeers.workerFor(address).isEmpty(), outboundGroups())
        .ifPresent(address -> {
          addressBook.attempted(address);
          dial(address, kind);
        });
  }

  /** The network groups of the automatic outbound connections and of the dials for them. */
  private Set<NetworkGroup> outboundGroups() {
    Set<NetworkGroup> groups = new HashSet<>();
    registry.entries().stream().filter(e -> isAutomatic(e.kind()))
        .forEach(e -> groups.add(addressBook.groupOf(e.peer().remoteAddress().getAddress())));
    inFlight.forEach((address, dial) -> {
      if (isAutomatic(dial.kind())) {
        groups.add(addressBook.groupOf(address.getAddress()));
      }
    });
    return groups;
  }

  private static boolean isAutomatic(ConnectionKind kind) {
    return kind == ConnectionKind.OUTBOUND_FULL || kind == ConnectionKind.OUTBOUND_BLOCK_RELAY;
  }

  /**
   * RPC addnode onetry: one dial, even to a discouraged address; a refused one is only logged.
   * Refused with Core's "capacity reached" once {@link ServerConfig#MAX_ADDED_PEERS} onetry dials
   * and connections exist.
   */
  Optional<RequestRefused> dialOnceForOperator(InetSocketAddress address) {
    long operatorDials = inFlight.values().stream().filter(d -> d.kind() == ConnectionKind.ONE_TRY).count();
    if (registry.count(ConnectionKind.ONE_TRY) + operatorDials >= ServerConfig.MAX_ADDED_PEERS) {
      return Optional.of(RequestRefused.capacityReached());
    }
    Optional<String> refusal = dialPolicy.operatorDialRefusal(address);
    if (refusal.isEmpty()) {
      dial(address, ConnectionKind.ONE_TRY);
    } else {
      log.info("addnode onetry {}: {}", address, refusal.get());
    }
    return Optional.empty();
  }

  private void dial(InetSocketAddress address, ConnectionKind kind) {
    registry.startDial(address, null, 0);
    Transport.Dial dial = transport.dial(address);
    inFlight.put(address, new InFlight(kind, dial));
    dialThreads.newThread(() -> {
      Connection connection = null;
      try {
        connection = dial.connect(config.dialTimeoutMillis());
      } catch (IOException e) {
        log.debug("dial {} failed: {}", address, e.getMessage());
      }
      results.oneShotDialed(address, kind, connection);
    }).start();
  }

  /** Shutdown: every dial in flight is aborted; each still reports its end. */
  void cancelAll() {
    inFlight.values().forEach(d -> d.dial().cancel());
  }

  /**
   * A one-shot dial ended: its connection, for the server to start the peer; empty if the dial
   * failed, or if the server is shutting down or the address got connected meanwhile (then the
   * connection is closed).
   */
  Optional<Connection> dialEnded(InetSocketAddress address, Connection connection) {
    registry.endOneShotDial(address);
    inFlight.remove(address);
    if (connection == null) {
      return Optional.empty();
    }
    if (shuttingDown.getAsBoolean() || registry.hasLive(address)) {
      connection.close();
      return Optional.empty();
    }
    return Optional.of(connection);
  }
}
