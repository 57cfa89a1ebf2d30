package io.peerd.node;

import io.peerd.actor.Watchdog.Symptom;
import io.peerd.server.Server;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncManager;
import io.peerd.sync.SyncState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the watchdog looks for beyond stuck actors, read from the state the server and the sync
 * manager publish (never by asking them): seed 000's symptoms, a sync peer that is not a live
 * peer and a node behind a peer with nothing asked of anyone; and a peer whose threads outlive
 * its close. Each is a {@link Symptom}; the watchdog reports those that last.
 */
final class NodeHealth {
  private final SyncManager sync;
  private final Supplier<Server> server;
  private final LongSupplier clockNanos;

  NodeHealth(SyncManager sync, Supplier<Server> server, LongSupplier clockNanos) {
    this.sync = sync;
    this.server = server;
    this.clockNanos = clockNanos;
  }

  /** What is wrong right now; O(peers). */
  List<Symptom> symptoms() {
    Server current = server.get();
    if (current == null) {
      return List.of();
    }
    List<ServerState.PeerEntry> peers = current.state().peers();
    SyncState syncState = sync.state();
    List<Symptom> symptoms = new ArrayList<>();
    long syncPeer = syncState.syncPeerId();
    if (syncPeer != -1 && peers.stream().noneMatch(entry -> entry.active() && entry.peer().id() == syncPeer)) {
      symptoms.add(new Symptom("sync peer " + syncPeer, "the sync manager syncs from a peer that is not live",
          List.of(sync.thread())));
    }
    if (syncState.behindWithNothingAsked()) {
      symptoms.add(new Symptom("sync", "a peer showed more work than our tip, yet nothing is asked of anyone",
          List.of(sync.thread())));
    }
    long now = clockNanos.getAsLong();
    for (ServerState.PeerEntry entry : peers) {
      long closingSince = entry.peer().closingSinceNanos();
      List<Thread> alive = entry.peer().liveThreads();
      if (closingSince != 0 && !alive.isEmpty()) {
        symptoms.add(new Symptom("peer " + entry.peer().id() + " " + HostPort.format(entry.peer().remoteAddress()),
            "closing for " + TimeUnit.NANOSECONDS.toMillis(now - closingSince) + " ms, its threads still run",
            alive));
      }
    }
    return symptoms;
  }
}
