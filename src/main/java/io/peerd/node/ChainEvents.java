package io.peerd.node;

import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.server.Server;
import io.peerd.sync.SyncManager;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Chain results go to the sync manager, the server and the embedder's {@link NodeEvents}; every
 * call only enqueues. Runs on the chain thread, which alone reads and writes {@link #reportedBestHeader}.
 */
final class ChainEvents implements ChainActor.Listener {
  private final ChainView view;
  private final NodeEvents events;
  private final AtomicReference<Server> server;
  private SyncManager sync;
  private HeaderNode reportedBestHeader;

  ChainEvents(ChainView view, NodeEvents events, AtomicReference<Server> server) {
    this.view = view;
    this.events = events;
    this.server = server;
    this.reportedBestHeader = view.snapshot().bestHeader();
  }

  /** Set once, before the chain actor starts: the sync manager is built with the chain actor. */
  void sendTo(SyncManager syncManager) {
    this.sync = syncManager;
  }

  @Override
  public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result) {
    sync.headersProcessed(source, headers, result);
    reportBestHeader();
  }

  @Override
  public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {
    sync.blockProcessed(source, hash, result);
    reportBestHeader(); // a block may bring its own new header: it is the best header before it is the tip
    result.reorg().ifPresent(reorg -> events.tipMoved(reorg, view));
  }

  @Override
  public void tipChanged(ChainSnapshot snapshot) {
    sync.tipChanged();
    Server current = server.get();
    if (current != null) {
      current.tipChanged();
    }
  }

  private void reportBestHeader() {
    HeaderNode best = view.snapshot().bestHeader();
    if (best != reportedBestHeader) {
      reportedBestHeader = best;
      events.bestHeaderChanged(best);
    }
  }
}
