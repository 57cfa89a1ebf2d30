package io.peerd.metrics;

import io.peerd.actor.ActorProgress;
import io.peerd.actor.Watchdog;
import io.peerd.chain.ChainView;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.peer.PeerTotals;
import io.peerd.server.ServerState;
import io.peerd.store.RocksChainStore;
import io.peerd.sync.SyncState;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the metrics read of a running node; each part is safe to read from any thread without
 * waiting on an actor.
 *
 * @param actors the node's long-lived actors and its timer thread (not the per-peer workers, which come and go)
 */
public record NodeReadings(
    ChainView chain,
    InitialBlockDownload initialBlockDownload,
    Supplier<SyncState> sync,
    ServerState server,
    PeerTotals peers,
    List<ActorProgress> actors,
    Watchdog watchdog,
    RocksChainStore store) {

  public NodeReadings {
    actors = List.copyOf(actors);
  }
}
