package io.peerd.sync;

import io.peerd.actor.Actor;
import io.peerd.actor.Mailbox;
import io.peerd.actor.Timers;
import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The sync manager actor (see the package doc). Its view of peers changes only on "added" and
 * "done", which the server forwards in the order each peer's lifecycle task sent them, so the sync
 * peer and the download candidates are always peers that are connected as far as this thread
 * can know; when the last peer leaves, nothing may remain in flight (checked). This class keeps
 * the mailbox, the peers and the sync peer, and routes each event to the parts its thread owns
 * and alone calls: {@link HeaderSync} (headers first), {@link SyncPeerChoice} (which peer is the
 * sync peer), {@link BlockDownload} (which blocks from whom) and {@link SyncProgress} (the
 * progress log).
 *
 * <p>Mailbox: peer messages count against its capacity, sized by {@link #mailboxCapacity} so
 * that every peer's inbound budget fits (a refusal disconnects that peer). Everything else is
 * bounded by construction: two lifecycle events per peer alive (a "done" takes back its
 * still-queued "added"), one chain reply per headers batch or block handed to the chain (locally
 * mined blocks get none), and coalesced tip and tick notifications (one pending each).
 */
public final class SyncManager extends Actor<SyncManager.Event> implements SyncInput {
  sealed interface Event {}

  private record PeerAdded(PeerHandle peer) implements Event {}

  private record PeerDone(PeerHandle peer) implements Event {}

  private record PeerMessage(Received received) implements Event {}

  private record HeadersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result)
      implements Event {}

  private record BlockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) implements Event {}

  private record TipChanged() implements Event {}

  private record Tick() implements Event {}

  private final SyncConfig config;
  private final ChainActor chain;
  private final ChainView view;
  private final Timers timers;
  private final LongSupplier clockMillis;
  /** Added peers, in the order they were added. */
  private final Map<Long, SyncPeer> peers = new LinkedHashMap<>();
  /**
   * "added" messages sent, by peer id, until taken or withdrawn; written by the server's thread,
   * hence concurrent. At most one per live peer.
   */
  private final Map<Long, Mailbox.Entry> queuedAdded = new ConcurrentHashMap<>();
  private final HeaderSync headerSync;
  private final SyncPeerChoice syncPeerChoice;
  private final BlockDownload download;
  private final SyncProgress progress;
  private final AtomicBoolean tipChangePending = new AtomicBoolean();
  private final AtomicBoolean tickPending = new AtomicBoolean();
  private volatile SyncState state = SyncState.EMPTY;
  private SyncPeer syncPeer;
  private Timers.Timer tickTimer;

  public SyncManager(SyncConfig config, ChainActor chain, ChainView view, Timers timers, LongSupplier clockMillis,
      Mailbox mailbox, ThreadFactory threadFactory) {
    super("sync", mailbox, threadFactory);
    this.config = config;
    this.chain = chain;
    this.view = view;
    this.timers = timers;
    this.clockMillis = clockMillis;
    this.headerSync = new HeaderSync(config, chain, view, clockMillis);
    this.syncPeerChoice = new SyncPeerChoice(config.progressLogMillis(), clockMillis);
    this.download = new BlockDownload(config);
    this.progress = new SyncProgress(config.progressLogMillis());
  }

  /** Room for every peer's forwarded messages, plus slack. */
  public static int mailboxCapacity(int maxPeers, int forwardedMessagesPerPeer) {
    return maxPeers * forwardedMessagesPerPeer + 1_024;
  }

  /**
   * The sync manager's view as last published: sync peer, candidates, requests in flight. It is
   * published when the manager has caught up with its events ({@link #onCaughtUp}), so it lags by
   * at most {@value io.peerd.actor.Actor#MAX_MESSAGES_PER_CATCH_UP} events.
   */
  public SyncState state() {
    return state;
  }

  // ------------------------------------------------------------ inputs (any thread, never block)

  @Override
  public void peerAdded(PeerHandle peer) {
    Mailbox.Entry added = tellWithdrawable(new PeerAdded(peer));
    if (added != null) {
      queuedAdded.put(peer.id(), added); // if taken meanwhile, the peer's "done" removes it
    }
  }

  /**
   * A "done" whose "added" is still queued takes it back instead: the peer came and went while
   * this thread was busy, and nothing needs to know. So churn during a long message cannot pile
   * up pairs: queued lifecycle messages stay under two per peer alive when the message began.
   */
  @Override
  public void peerDone(PeerHandle peer) {
    Mailbox.Entry added = queuedAdded.remove(peer.id());
    if (added == null || !withdraw(added)) {
      tellBounded(new PeerDone(peer));
    }
  }

  @Override
  public boolean received(Received message) {
    return tell(new PeerMessage(message));
  }

  /** The chain's answer to a headers batch this manager handed over (one per batch). */
  public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result) {
    tellBounded(new HeadersProcessed(source, headers, result));
  }

  /** The chain's answer to a block this manager handed over; locally mined blocks are not reported. */
  public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {
    if (source != ChainActor.LOCAL) {
      tellBounded(new BlockProcessed(source, hash, result));
    }
  }

  /** Coalesced: a burst of new tips costs one message. */
  public void tipChanged() {
    if (tipChangePending.compareAndSet(false, true)) {
      tellBounded(new TipChanged());
    }
  }

  // ------------------------------------------------------------ actor thread

  @Override
  protected void onStart() {
    tickTimer = timers.every(config.tickMillis(), () -> {
      if (tickPending.compareAndSet(false, true)) {
        tellBounded(new Tick());
      }
    });
    publishState();
  }

  @Override
  protected void onStop() {
    tickTimer.cancel();
  }

  @Override
  protected void discarded(Event event) {
    if (event instanceof PeerMessage message) {
      message.received().done().run();
    }
  }

  @Override
  protected void handle(Event event) {
    switch (event) {
      case PeerAdded e -> added(e.peer());
      case PeerDone e -> done(e.peer());
      case PeerMessage e -> handleMessage(e.received());
      case HeadersProcessed e -> headersProcessed(e);
      case BlockProcessed e -> blockProcessed(e);
      case TipChanged e -> tipMoved();
      case Tick e -> tick();
    }
  }

  /** Published once per burst of events, not per event: building it is O(peers). */
  @Override
  protected void onCaughtUp() {
    publishState();
  }

  private void added(PeerHandle peer) {
    queuedAdded.remove(peer.id());
    SyncPeer previous = peers.putIfAbsent(peer.id(), new SyncPeer(peer));
    if (previous != null) {
      throw new IllegalStateException("peer " + peer.id() + " added twice");
    }
    if (syncPeer == null) {
      chooseSyncPeer();
    }
    requestBlocks();
  }

  private void done(PeerHandle peer) {
    SyncPeer gone = peers.remove(peer.id());
    if (gone == null) {
      throw new IllegalStateException("done for peer " + peer.id() + " that was never added");
    }
    download.peerGone(peer.id());
    if (gone == syncPeer) {
      syncPeer = null;
      chooseSyncPeer();
    }
    if (peers.isEmpty() && !download.nothingInFlight()) {
      throw new IllegalStateException("last peer gone with " + download.inFlightCount() + " blocks in flight");
    }
    requestBlocks();
  }

  /** The sync peer is one {@link SyncPeerChoice} picks; header download starts with it at once. */
  private void chooseSyncPeer() {
    syncPeer = syncPeerChoice.choose(peers.values(), view.snapshot().bestHeader().height());
    if (syncPeer != null) {
      headerSync.requestHeaders(syncPeer, Hash.ZERO);
    }
  }

  private void handleMessage(Received received) {
    try {
      SyncPeer peer = peers.get(received.peer().id());
      if (peer == null) {
        return; // arrived after the peer's "done"
      }
      switch (received.message()) {
        case Message.Headers h -> headerSync.headersReceived(peer, h.headers());
        case Message.BlockMessage b -> blockReceived(peer, b.block(), received.payload());
        case Message.Inv i -> announced(peer, i.items());
        case Message.NotFound n -> notFound(peer, n.items());
        default -> { } // peers hand sync only the four types above
      }
    } finally {
      received.done().run();
    }
  }

  /** The batch is off the chain's queue; one it accepted shows what its sender has. */
  private void headersProcessed(HeadersProcessed processed) {
    BlockHeader last = processed.headers().getLast();
    headerSync.batchProcessed(last, peers.values());
    SyncPeer peer = peers.get(((PeerHandle) processed.source()).id());
    if (peer != null && processed.result().rejection().isEmpty()) {
      view.header(last.hash()).ifPresent(peer::has);
    }
    requestBlocks();
  }

  private void announced(SyncPeer peer, List<InventoryItem> items) {
    headerSync.blocksAnnounced(peer, items);
    requestBlocks();
  }

  private void notFound(SyncPeer peer, List<InventoryItem> items) {
    for (InventoryItem item : items) {
      if (download.notFound(peer.handle.id(), item.hash())) {
        view.header(item.hash()).ifPresent(missing -> peer.lacks(missing, view.snapshot()));
      }
    }
    requestBlocks();
  }

  /**
   * A requested block goes to the chain; so does an unrequested one whose parent the chain knows
   * or is processing (a peer pushing new blocks): the sender's inbound budget bounds how many.
   */
  private void blockReceived(SyncPeer peer, Block block, byte[] payload) {
    Hash hash = block.hash();
    view.header(hash).ifPresent(peer::has);
    BlockDownload.Request request = download.delivered(hash);
    int height = request != null ? request.height() : heightOnParent(block.header().previousHash());
    if (height >= 0) {
      if (chain.acceptBlock(peer.handle, block, payload)) {
        download.handedToChain(hash, height);
      } else if (request != null) {
        download.chainRefused(height);
      }
    }
    requestBlocks();
  }

  /**
   * The height of a block on {@code parent}, or -1 if the parent is unknown. A parent still with
   * the chain actor counts as known: the chain handles blocks in order, so a peer's blocks sent
   * back to back all connect, though each arrives before the chain has its parent.
   */
  private int heightOnParent(Hash parent) {
    int parentAtChain = download.heightAtChain(parent);
    if (parentAtChain >= 0) {
      return parentAtChain + 1;
    }
    return view.header(parent).map(node -> node.height() + 1).orElse(-1);
  }

  private void blockProcessed(BlockProcessed processed) {
    Chain.BlockOutcome outcome = processed.result().outcome();
    download.processed(processed.hash(), outcome);
    boolean newToUs = outcome == Chain.BlockOutcome.CONNECTED || outcome == Chain.BlockOutcome.STORED;
    if (newToUs && processed.source() instanceof PeerHandle peer) {
      peer.newBlockDelivered();
    }
    if (processed.result().reorg().isPresent()) {
      tipMoved();
    } else {
      requestBlocks();
    }
  }

  private void tipMoved() {
    tipChangePending.set(false);
    ChainSnapshot snapshot = view.snapshot();
    download.tipMoved(snapshot);
    progress.tipMoved(snapshot, clockMillis.getAsLong());
    requestBlocks();
  }

  /**
   * Fills every full peer's free request slots from its window toward its own target, unless
   * the chain actor already has {@code maxPendingAtChain} blocks to process: more would only
   * queue there, ahead of the headers that tell us what to fetch next.
   */
  private void requestBlocks() {
    ChainSnapshot snapshot = view.snapshot();
    if (download.atChainCount() >= config.maxPendingAtChain()) {
      return;
    }
    long now = clockMillis.getAsLong();
    for (SyncPeer peer : peers.values()) {
      if (!peer.isFullNode()) {
        continue;
      }
      // Assigned also with no free slot: the window follows the peer's target for the stall rule.
      int free = config.maxInFlightPerPeer() - download.inFlightCount(peer.handle.id());
      HeaderNode target = chain.peerBlocks().cap(peer.downloadTarget(snapshot), view);
      List<Hash> hashes = download.assign(peer.handle.id(), free, target, snapshot, now);
      if (!hashes.isEmpty()) {
        List<InventoryItem> items = new ArrayList<>(hashes.size());
        hashes.forEach(hash -> items.add(InventoryItem.witnessBlock(hash)));
        peer.handle.send(new Message.GetData(items));
      }
    }
    download.noteWindowStall(snapshot, now);
  }

  private void tick() {
    tickPending.set(false);
    long now = clockMillis.getAsLong();
    if (syncPeer != null && syncPeer.headersOverdue(now)) {
      syncPeer.handle.disconnect(DisconnectReason.STALLED,
          "no headers within " + config.headersTimeoutMillis() + " ms");
    }
    for (long peerId : download.overduePeers(now)) {
      stalled(peerId, "a requested block took over " + config.blockTimeoutMillis() + " ms");
    }
    download.stalledPeer(now).ifPresent(peerId -> stalled(peerId,
        "stalling the download window for " + download.stallTimeoutMillis() / 2 + " ms"));
    if (syncPeer == null && !peers.isEmpty()) {
      chooseSyncPeer();
    }
    headerSync.askAgainForMissedHeaders(peers.values());
    progress.maybeLog(view.snapshot(), now);
  }

  private void stalled(long peerId, String detail) {
    SyncPeer peer = peers.get(peerId);
    if (peer != null) {
      peer.handle.disconnect(DisconnectReason.STALLED, detail);
    }
  }

  private void publishState() {
    state = new SyncState(syncPeer == null ? -1 : syncPeer.handle.id(), List.copyOf(peers.keySet()),
        download.inFlightCount(), download.atChainCount(), peerSyncs(), behindWithNothingAsked());
  }

  private boolean behindWithNothingAsked() {
    if (download.inFlightCount() > 0 || download.atChainCount() > 0 || headerSync.batchesAtChain() > 0) {
      return false;
    }
    HeaderNode tip = view.snapshot().tip();
    boolean behind = false;
    for (SyncPeer peer : peers.values()) {
      if (peer.headersRequestOut()) {
        return false;
      }
      HeaderNode shown = peer.bestKnown;
      behind |= peer.isFullNode() && shown != null && shown.isValid() && shown.chainWork().compareTo(tip.chainWork()) > 0;
    }
    return behind;
  }

  /** As Core's getpeerinfo: the peer's best known block and the last block it shares with our tip, -1 before any. */
  private Map<Long, SyncState.PeerSync> peerSyncs() {
    HeaderNode tip = view.snapshot().tip();
    Map<Long, SyncState.PeerSync> syncs = new HashMap<>();
    for (SyncPeer peer : peers.values()) {
      long id = peer.handle.id();
      syncs.put(id, new SyncState.PeerSync(peer.syncedHeadersHeight(), peer.syncedBlocksHeight(tip),
          download.inFlightHeights(id)));
    }
    return Map.copyOf(syncs);
  }
}
