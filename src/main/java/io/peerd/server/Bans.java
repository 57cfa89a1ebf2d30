package io.peerd.server;

import io.peerd.banman.BanFile;
import io.peerd.banman.BanManager;
import io.peerd.banman.Permission;
import io.peerd.banman.Subnet;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.PeerHandle;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's bans and discouragement, as Core applies them. Refused: a banned address, and a
 * discouraged one when the inbound slots are nearly full. Never punished for misbehaving: a
 * whitelisted {@code noban} peer, a peer the operator added (it is disconnected, its address not
 * held against it), and, unless {@link ServerConfig#discourageLocalPeers}, a local one (on one
 * machine, 127.0.0.1 is every local process). Loaded from the ban file at start and saved when
 * changed, at most once per tick.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class Bans {
  /** The server's log: these are the server's decisions. */
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  static final int MAX_BANS = 10_000;

  private final ServerConfig config;
  private final LongSupplier clockMillis;
  private final BanManager manager;
  private final ServerCounters counters;

  Bans(ServerConfig config, LongSupplier clockMillis, ServerCounters counters) {
    this.config = config;
    this.clockMillis = clockMillis;
    this.counters = counters;
    this.manager = new BanManager(config.discourageMillis(), MAX_BANS, config.maxDiscouraged());
  }

  /** Takes back the saved bans; a damaged file is logged and the node starts without them. */
  void load() {
    Path file = config.banFile();
    if (file == null) {
      return;
    }
    try {
      BanFile.load(file).ifPresent(manager::restore);
      manager.takeDirty();
    } catch (IOException e) {
      log.warn("ban list not loaded, starting without bans: {}", e.getMessage());
    }
  }

  void saveIfChanged() {
    Path file = config.banFile();
    if (file == null || !manager.takeDirty()) {
      return;
    }
    try {
      BanFile.save(file, manager.contents());
    } catch (IOException e) {
      log.warn("ban list not saved: {}", e.getMessage());
    }
  }

  boolean isNoBan(InetAddress address) {
    return config.whitelist().grants(address, Permission.NOBAN);
  }

  boolean isBanned(InetAddress address) {
    return !isNoBan(address) && manager.isBanned(address, clockMillis.getAsLong());
  }

  boolean isDiscouraged(InetAddress address) {
    return !isNoBan(address) && manager.isDiscouraged(address, clockMillis.getAsLong());
  }

  /** A peer's misbehaviour reached the threshold (it has disconnected itself): discourage its address, or say why not. */
  void misbehaved(PeerHandle peer, String reason) {
    InetAddress address = peer.remoteAddress().getAddress();
    String exemption = isNoBan(address) ? "a noban peer"
        : peer.kind() == ConnectionKind.MANUAL || peer.kind() == ConnectionKind.ONE_TRY ? "a peer the operator added"
        : address.isLoopbackAddress() && !config.discourageLocalPeers() ? "a local peer"
        : null;
    if (exemption != null) {
      log.info("not discouraging {}, {}, for: {}", address.getHostAddress(), exemption, reason);
      return;
    }
    log.info("discouraging {} for {} ms: {}", address.getHostAddress(), config.discourageMillis(), reason);
    manager.discourage(address, clockMillis.getAsLong());
    counters.discouraged();
  }

  /** RPC setban add: bans {@code subnet} until {@code untilSeconds} (seconds since the epoch). */
  Optional<RequestRefused> ban(Subnet subnet, long untilSeconds) {
    long nowSeconds = clockMillis.getAsLong() / 1000;
    Optional<String> refusal = manager.ban(subnet, nowSeconds, untilSeconds);
    if (refusal.isEmpty()) {
      counters.banned();
    }
    return refusal.map(reason -> new RequestRefused(-23, reason));
  }

  /** RPC setban remove. */
  Optional<RequestRefused> unban(Subnet subnet) {
    return manager.unban(subnet) ? Optional.empty() : Optional.of(new RequestRefused(-30,
        "Error: Unban failed. Requested address/subnet was not previously manually banned."));
  }

  /** RPC clearbanned: bans and discouragement lifted. */
  void clear() {
    manager.clear();
  }

  List<BanManager.Ban> list() {
    return manager.bans(clockMillis.getAsLong());
  }
}
