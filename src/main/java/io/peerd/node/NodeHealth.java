package io.peerd.node;

import io.peerd.actor.Watchdog.Symptom;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  private final Supplier<SyncState> syncState;
  private final Supplier<Thread> syncThread;
  private final Supplier<List<ServerState.PeerEntry>> peers;
  private final LongSupplier clockNanos;

  NodeHealth(Supplier<SyncState> syncState, Supplier<Thread> syncThread, Supplier<List<ServerState.PeerEntry>> peers,
      LongSupplier clockNanos) {
    this.syncState = syncState;
    this.syncThread = syncThread;
    this.peers = peers;
    this.clockNanos = clockNanos;
  }

  /** What is wrong right now; O(peers). */
  List<Symptom> symptoms() {
    List<ServerState.PeerEntry> entries = peers.get();
    SyncState sync = syncState.get();
    List<Thread> syncThreads = Optional.ofNullable(syncThread.get()).stream().toList();
    List<Symptom> symptoms = new ArrayList<>();
    long syncPeer = sync.syncPeerId();
    if (syncPeer != -1 && entries.stream().noneMatch(entry -> entry.active() && entry.peer().id() == syncPeer)) {
      symptoms.add(new Symptom("sync peer " + syncPeer, "the sync manager syncs from a peer that is not live",
          syncThreads));
    }
    if (sync.behindWithNothingAsked()) {
      symptoms.add(new Symptom("sync", "a peer showed more work than our tip, yet nothing is asked of anyone",
          syncThreads));
    }
    long now = clockNanos.getAsLong();
    for (ServerState.PeerEntry entry : entries) {
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
