package io.peerd.node;

import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.server.Server;
import io.peerd.sync.SyncManager;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Chain results go to the sync manager and the server; every call only enqueues. */
final class ChainEventsToActors implements ChainActor.Listener {
  /** Set once, right after the sync manager is built (it needs the chain actor first). */
  SyncManager sync;
  AtomicReference<Server> server;

  @Override
  public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers,
      Chain.HeadersResult result) {
    sync.headersProcessed(source, headers, result);
  }

  @Override
  public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {
    sync.blockProcessed(source, hash, result);
  }

  @Override
  public void tipChanged(ChainSnapshot snapshot) {
    sync.tipChanged();
    Server current = server.get();
    if (current != null) {
      current.tipChanged();
    }
  }
}
