package io.peerd.server;

import io.peerd.banman.BanManager;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.ManagedPeer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server's peers and workers as last published by the server thread, for RPC and tests to
 * read from any thread without asking the server. The server publishes when it has caught up with
 * its events ({@link io.peerd.actor.Actor#onCaughtUp}) and before it answers a request, so a reader
 * sees every change a reply it got implies.
 */
public final class ServerState {
  /** One registered connection: {@code active} once its handshake completed. */
  public record PeerEntry(ManagedPeer peer, ConnectionKind kind, InetSocketAddress identity, boolean active) {}

  private volatile List<PeerEntry> peers = List.of();
  private volatile List<ConnectionWorker> workers = List.of();
  private volatile List<ConnectionWorker> stoppingWorkers = List.of();
  private volatile List<BanManager.Ban> bans = List.of();
  private final ServerCounters counters = new ServerCounters();
  /** Server thread only: connections or workers changed since the last publication. */
  private boolean changed;

  /** On the server thread: what {@link #publishIfChanged} would publish has changed. */
  void changed() {
    changed = true;
  }

  /** On the server thread: publishes the registry's connections and the workers if they changed. */
  void publishIfChanged(Registry registry, PersistentPeers persistentPeers) {
    if (changed) {
      changed = false;
      peers = registry.published();
      workers = persistentPeers.workers();
      stoppingWorkers = persistentPeers.stoppingWorkers();
    }
  }

  void publishBans(List<BanManager.Ban> current) {
    bans = List.copyOf(current);
  }

  /** What the server decided since start: refusals, bans, discouragements. */
  public ServerCounters counters() {
    return counters;
  }

  /** The bans as last changed, oldest first; those ended since are still here (compare their end to now). */
  public List<BanManager.Ban> bans() {
    return bans;
  }

  /** Every registered connection, handshaking or active, in connection order. */
  public List<PeerEntry> peers() {
    return peers;
  }

  /** Connections whose handshake completed. */
  public List<PeerEntry> activePeers() {
    return peers.stream().filter(PeerEntry::active).toList();
  }

  /** The workers of the persistent peers, one per peer. */
  public List<ConnectionWorker> workers() {
    return workers;
  }

  /** Workers removed (RPC addnode remove) and told to stop, whose threads may not have ended yet. */
  public List<ConnectionWorker> stoppingWorkers() {
    return stoppingWorkers;
  }

  /**
   * Joins every worker, those removed but maybe still running included, within
   * {@code timeoutMillis} in all; false if one had not ended by then.
   */
  public boolean awaitWorkersStopped(long timeoutMillis) throws InterruptedException {
    long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (ConnectionWorker worker : Stream.concat(workers.stream(), stoppingWorkers.stream()).toList()) {
      long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
      if (!worker.awaitStopped(leftMillis)) {
        return false;
      }
    }
    return true;
  }
}
