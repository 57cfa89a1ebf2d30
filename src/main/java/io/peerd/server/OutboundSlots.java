package io.peerd.server;

import io.peerd.net.Connection;
import io.peerd.net.Transport;
import io.peerd.peer.ConnectionKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
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
  /** Dials in flight by address (the registry allows one per address), with their kind. */
  private final Map<InetSocketAddress, InFlight> inFlight = new HashMap<>();

  private record InFlight(ConnectionKind kind, Transport.Dial dial) {}

  OutboundSlots(ServerConfig config, Registry registry, AddressBook addressBook, DialPolicy dialPolicy,
      PersistentPeers persistentPeers, Transport transport, ThreadFactory dialThreads, DialResults results,
      BooleanSupplier shuttingDown) {
    this.config = config;
    this.registry = registry;
    this.addressBook = addressBook;
    this.dialPolicy = dialPolicy;
    this.persistentPeers = persistentPeers;
    this.transport = transport;
    this.dialThreads = dialThreads;
    this.results = results;
    this.shuttingDown = shuttingDown;
  }

  /** Dials to fill the outbound slots, unless shutting down or told to connect only to given peers. */
  void fill() {
    if (shuttingDown.getAsBoolean() || config.connectOnly()) {
      return;
    }
    fillOne(ConnectionKind.OUTBOUND_FULL, config.maxOutboundFull());
    fillOne(ConnectionKind.OUTBOUND_BLOCK_RELAY, config.maxOutboundBlockRelay());
  }

  /** One new dial per call and kind at most: a slow, steady refill. */
  private void fillOne(ConnectionKind kind, int max) {
    if (registry.count(kind) + registry.oneShotDials() >= max) {
      return;
    }
    addressBook.pick(address -> dialPolicy.automaticDialRefusal(address).isEmpty()
            && persistentPeers.workerFor(address).isEmpty())
        .ifPresent(address -> dial(address, kind));
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
