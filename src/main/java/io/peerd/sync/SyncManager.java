package io.peerd.sync;

import io.peerd.actor.Actor;
import io.peerd.actor.Mailbox;
import io.peerd.actor.Timers;
import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.peer.PeerConfig;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.peer.Services;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync manager actor (see the package doc). Its view of peers changes only on "added" and
 * "done", which the server forwards in the order each peer's lifecycle task sent them, so the sync
 * peer and the download candidates are always peers that are connected as far as this thread
 * can know; when the last peer leaves, nothing may remain in flight (checked).
 *
 * <p>Mailbox: peer messages count against its capacity, sized by {@link #mailboxCapacity} so
 * that every peer's inbound budget fits (a refusal disconnects that peer). Everything else is
 * bounded by construction: two lifecycle events per peer alive (a "done" takes back its
 * still-queued "added"), one chain reply per batch handed to the chain, and coalesced tip and
 * tick notifications (one pending each).
 */
public final class SyncManager extends Actor<SyncManager.Event> implements SyncInput {
  private static final Logger log = LoggerFactory.getLogger(SyncManager.class);
  /** Core discourages a peer for headers that do not form a chain at once. */
  static final int NON_CONTINUOUS_HEADERS_SCORE = 100;

  sealed interface Event {}

  private record PeerAdded(PeerHandle peer) implements Event {}

  private record PeerDone(PeerHandle peer) implements Event {}

  private record PeerMessage(Received received) implements Event {}

  private record HeadersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result)
      implements Event {}

  private record BlockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) implements Event {}

  private record TipChanged() implements Event {}

  private record Tick() implements Event {}

  /**
   * The last header of a batch handed to the chain and not yet processed: its height, and the
   * known header the pending batches hang from (for locators).
   */
  private record PendingHeaders(int lastHeight, HeaderNode anchor) {}

  /** What sync knows about one added peer. */
  private static final class SyncPeer {
    final PeerHandle handle;
    /** The most-work header this peer showed it has (headers, inv, block); null before any. */
    HeaderNode bestKnown;
    /**
     * Until it shows a header, the peer is taken to have the best header chain up to the height
     * its version claimed, lowered by each notfound.
     */
    int claimedHeight;
    long headersDeadlineMillis;
    /**
     * Headers from this peer were dropped (the chain was busy) or not followed up (a request was
     * out, whose answer may end before them): ask again once the chain caught up.
     */
    boolean headersMissed;

    SyncPeer(PeerHandle handle) {
      this.handle = handle;
      this.claimedHeight = Math.max(0, handle.startHeight());
    }

    boolean isFullNode() {
      return Services.hasAll(handle.services(), Services.NODE_NETWORK);
    }

    int knownHeight() {
      return Math.max(claimedHeight, bestKnown == null ? 0 : bestKnown.height());
    }

    /** As Core's UpdateBlockAvailability: a header the peer has replaces one with less work. */
    void has(HeaderNode node) {
      if (bestKnown == null || node.chainWork().compareTo(bestKnown.chainWork()) > 0) {
        bestKnown = node;
      }
    }

    /**
     * What to download from this peer: the best header chain up to its claim, where that extends
     * what it showed us (or it showed nothing yet); else the best block it showed.
     */
    HeaderNode downloadTarget(ChainSnapshot snapshot) {
      HeaderNode best = snapshot.bestHeader();
      HeaderNode claimed = best.ancestor(Math.min(claimedHeight, best.height()));
      return bestKnown == null || bestKnown.isAncestorOf(claimed) ? claimed : bestKnown;
    }

    /** The peer said notfound for {@code missing}: it has nothing from there up on that branch. */
    void lacks(HeaderNode missing, ChainSnapshot snapshot) {
      claimedHeight = Math.min(claimedHeight, missing.height() - 1);
      if (missing.isAncestorOf(downloadTarget(snapshot))) {
        bestKnown = missing.parent();
      }
    }
  }

  private final SyncConfig config;
  private final ChainActor chain;
  private final ChainView view;
  private final Timers timers;
  private final LongSupplier clockMillis;
  private final Map<Long, SyncPeer> peers = new LinkedHashMap<>();
  /** Header batches at the chain by last hash; at most one per headers message handed over. */
  private final Map<Hash, PendingHeaders> headersAtChain = new HashMap<>();
  /** "added" messages in the mailbox, by peer id; written by the server's thread, hence concurrent. */
  private final Map<Long, PeerAdded> queuedAdded = new ConcurrentHashMap<>();
  private final BlockDownload download;
  private final SyncProgress progress;
  private final AtomicBoolean tipChangePending = new AtomicBoolean();
  private final AtomicBoolean tickPending = new AtomicBoolean();
  private volatile SyncState state = SyncState.EMPTY;
  private SyncPeer syncPeer;
  private long lastSyncPeerLogMillis = Long.MIN_VALUE / 2;
  private Timers.Timer tickTimer;

  public SyncManager(SyncConfig config, ChainActor chain, ChainView view, Timers timers, LongSupplier clockMillis,
      Mailbox mailbox, ThreadFactory threadFactory) {
    super("sync", mailbox, threadFactory);
    this.config = config;
    this.chain = chain;
    this.view = view;
    this.timers = timers;
    this.clockMillis = clockMillis;
    this.download = new BlockDownload(config);
    this.progress = new SyncProgress(config.progressLogMillis());
  }

  /** Room for every peer's forwarded messages, plus slack. */
  public static int mailboxCapacity(int maxPeers, int forwardedMessagesPerPeer) {
    return maxPeers * forwardedMessagesPerPeer + 1_024;
  }

  /** The sync manager's view as last published: sync peer, candidates, requests in flight. */
  public SyncState state() {
    return state;
  }

  // ------------------------------------------------------------ inputs (any thread, never block)

  @Override
  public void peerAdded(PeerHandle peer) {
    PeerAdded added = new PeerAdded(peer);
    queuedAdded.put(peer.id(), added);
    tellBounded(added);
  }

  /**
   * A "done" whose "added" is still queued takes it back instead: the peer came and went while
   * this thread was busy, and nothing needs to know. So churn during a long message cannot pile
   * up pairs: queued lifecycle messages stay under two per peer alive when the message began.
   */
  @Override
  public void peerDone(PeerHandle peer) {
    PeerAdded added = queuedAdded.remove(peer.id());
    if (added == null || !withdrawBounded(added)) {
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

  /**
   * Among full peers that claim more blocks than our best header, an outbound one (we chose it;
   * an inbound peer may be anyone) with the highest known height becomes the sync peer, the
   * earliest added winning ties, and header download starts with it at once. None qualifies at
   * our tip: announcements keep us current there.
   */
  private void chooseSyncPeer() {
    int ourHeight = view.snapshot().bestHeader().height();
    SyncPeer best = null;
    for (SyncPeer candidate : peers.values()) {
      if (candidate.isFullNode() && candidate.knownHeight() > ourHeight && (best == null || betterSyncPeer(candidate, best))) {
        best = candidate;
      }
    }
    syncPeer = best;
    if (best != null) {
      logSyncPeer(best);
      requestHeaders(best, view.snapshot().bestHeader(), Hash.ZERO);
    }
  }

  private static boolean betterSyncPeer(SyncPeer candidate, SyncPeer current) {
    if (candidate.handle.isInbound() != current.handle.isInbound()) {
      return !candidate.handle.isInbound();
    }
    return candidate.knownHeight() > current.knownHeight();
  }

  /** At INFO at most once per progress interval: under churn a log line per change is noise. */
  private void logSyncPeer(SyncPeer peer) {
    long now = clockMillis.getAsLong();
    boolean info = now - lastSyncPeerLogMillis >= config.progressLogMillis();
    if (info) {
      lastSyncPeerLogMillis = now;
      log.info("sync peer is now {} (height {})", peer.handle, peer.knownHeight());
    } else {
      log.debug("sync peer is now {} (height {})", peer.handle, peer.knownHeight());
    }
  }

  private void requestHeaders(SyncPeer peer, HeaderNode from, Hash stop) {
    sendGetHeaders(peer, Chain.locator(from), stop);
  }

  private void sendGetHeaders(SyncPeer peer, List<Hash> locator, Hash stop) {
    Message.GetHeaders getHeaders = new Message.GetHeaders(PeerConfig.PROTOCOL_VERSION, locator, stop);
    if (peer.handle.send(getHeaders)) {
      peer.headersDeadlineMillis = clockMillis.getAsLong() + config.headersTimeoutMillis();
    }
  }

  private void handleMessage(Received received) {
    try {
      SyncPeer peer = peers.get(received.peer().id());
      if (peer == null) {
        return; // arrived after the peer's "done"
      }
      switch (received.message()) {
        case Message.Headers h -> headersReceived(peer, h.headers());
        case Message.BlockMessage b -> blockReceived(peer, b.block(), received.payload());
        case Message.Inv i -> announced(peer, i.items());
        case Message.NotFound n -> notFound(peer, n.items());
        default -> { } // peers hand sync only the four types above
      }
    } finally {
      received.done().run();
    }
  }

  /**
   * A connecting (or empty) headers message answers our getheaders; one that does not connect is
   * an announcement. Headers that do not each build on the one before are misbehavior (as Core).
   */
  private void headersReceived(SyncPeer peer, List<BlockHeader> headers) {
    if (headers.isEmpty()) {
      peer.headersDeadlineMillis = 0;
      return;
    }
    if (!continuous(headers)) {
      peer.handle.misbehaving(NON_CONTINUOUS_HEADERS_SCORE, "non-continuous headers sequence");
      peer.handle.disconnect("non-continuous headers sequence");
      return;
    }
    PendingHeaders parent = connectionPoint(headers.getFirst().previousHash());
    if (parent == null) {
      unconnectingHeaders(peer);
      return;
    }
    peer.headersDeadlineMillis = 0;
    int lastHeight = parent.lastHeight() + headers.size();
    if (!chain.acceptHeaders(peer.handle, headers)) {
      log.debug("chain busy: dropping {} headers from {}, asking again later", headers.size(), peer.handle);
      peer.headersMissed = true;
      return;
    }
    headersAtChain.put(headers.getLast().hash(), new PendingHeaders(lastHeight, parent.anchor()));
    if (headers.size() == Message.MAX_HEADERS) {
      requestMoreHeaders(peer, headers.getLast(), parent.anchor()); // while the chain validates these
    }
  }

  private static boolean continuous(List<BlockHeader> headers) {
    for (int i = 1; i < headers.size(); i++) {
      if (!headers.get(i).previousHash().equals(headers.get(i - 1).hash())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where headers whose first parent is {@code previous} attach: a header the chain knows, or the
   * last of a batch the chain has yet to process (header download runs ahead of validation).
   */
  private PendingHeaders connectionPoint(Hash previous) {
    HeaderNode known = view.header(previous).orElse(null);
    return known != null ? new PendingHeaders(known.height(), known) : headersAtChain.get(previous);
  }

  /**
   * A full batch means there is more: ask at once, with a locator that starts at the batch's
   * last header, instead of waiting until the chain has validated the batch (header sync would
   * otherwise move at the chain's pace, behind whatever blocks it has queued).
   */
  private void requestMoreHeaders(SyncPeer peer, BlockHeader last, HeaderNode anchor) {
    List<Hash> locator = new ArrayList<>(Chain.locator(anchor));
    locator.addFirst(last.hash());
    if (locator.size() > Chain.MAX_LOCATOR_HASHES) {
      locator.remove(locator.size() - 2); // keep genesis last
    }
    sendGetHeaders(peer, locator, Hash.ZERO);
  }

  /**
   * Headers that do not connect are announcements that overtook our header sync (a peer cannot
   * know which of its blocks we lack): ask for the missing headers unless a request is out
   * already. Not misbehavior: they cost one map lookup each.
   */
  private void unconnectingHeaders(SyncPeer peer) {
    if (peer.headersDeadlineMillis == 0) {
      requestHeaders(peer, view.snapshot().bestHeader(), Hash.ZERO);
    } else {
      peer.headersMissed = true;
    }
  }

  private void headersProcessed(HeadersProcessed processed) {
    headersAtChain.remove(processed.headers().getLast().hash());
    askAgainForMissedHeaders();
    SyncPeer peer = peers.get(((PeerHandle) processed.source()).id());
    Chain.HeadersResult result = processed.result();
    if (peer == null || result.rejection().isPresent()) {
      requestBlocks();
      return;
    }
    BlockHeader last = processed.headers().getLast();
    view.header(last.hash()).ifPresent(peer::has);
    requestBlocks();
  }

  /**
   * Missed headers may have been a peer's last announcement: nothing else would make us ask for
   * what follows them, and sync would sit idle behind a peer that has more. So once every batch
   * handed over is processed (the chain has room again and its best header is where asking should
   * start), ask each such peer that has no request out.
   */
  private void askAgainForMissedHeaders() {
    if (!headersAtChain.isEmpty()) {
      return;
    }
    for (SyncPeer peer : peers.values()) {
      if (peer.headersMissed && peer.headersDeadlineMillis == 0) {
        peer.headersMissed = false;
        requestHeaders(peer, view.snapshot().bestHeader(), Hash.ZERO);
      }
    }
  }

  /**
   * Announced blocks: a known one is what the peer has; for unknown ones ask the announcer for
   * the headers up to them (as Core does).
   */
  private void announced(SyncPeer peer, List<InventoryItem> items) {
    boolean asked = false;
    for (InventoryItem item : items) {
      if (item.baseType() != InventoryItem.BLOCK) {
        continue;
      }
      HeaderNode known = view.header(item.hash()).orElse(null);
      if (known != null) {
        peer.has(known);
      } else if (!asked && !headersAtChain.containsKey(item.hash())) {
        requestHeaders(peer, view.snapshot().bestHeader(), item.hash());
        asked = true; // one getheaders answers the whole announcement
      }
    }
    requestBlocks();
  }

  private void notFound(SyncPeer peer, List<InventoryItem> items) {
    for (InventoryItem item : items) {
      download.notFound(peer.handle.id(), item.hash());
      view.header(item.hash()).ifPresent(missing -> peer.lacks(missing, view.snapshot()));
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
    download.processed(processed.hash(), processed.result().outcome());
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
      List<Hash> hashes = download.assign(peer.handle.id(), free, peer.downloadTarget(snapshot), snapshot, now);
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
    if (syncPeer != null && syncPeer.headersDeadlineMillis != 0 && now >= syncPeer.headersDeadlineMillis) {
      syncPeer.handle.disconnect("stalled: no headers within " + config.headersTimeoutMillis() + " ms");
    }
    for (long peerId : download.overduePeers(now)) {
      disconnect(peerId, "stalled: a requested block took over " + config.blockTimeoutMillis() + " ms");
    }
    download.stalledPeer(now).ifPresent(peerId -> disconnect(peerId,
        "stalling the download window for " + download.stallTimeoutMillis() / 2 + " ms"));
    if (syncPeer == null && !peers.isEmpty()) {
      chooseSyncPeer();
    }
    askAgainForMissedHeaders();
    progress.maybeLog(view.snapshot(), now);
  }

  private void disconnect(long peerId, String reason) {
    SyncPeer peer = peers.get(peerId);
    if (peer != null) {
      peer.handle.disconnect(reason);
    }
  }

  private void publishState() {
    state = new SyncState(syncPeer == null ? -1 : syncPeer.handle.id(), List.copyOf(peers.keySet()),
        download.inFlightCount(), download.atChainCount(), peerSyncs());
  }

  /** As Core's getpeerinfo: the peer's best known block and the last block it shares with our tip, -1 before any. */
  private Map<Long, SyncState.PeerSync> peerSyncs() {
    HeaderNode tip = view.snapshot().tip();
    Map<Long, SyncState.PeerSync> syncs = new HashMap<>();
    for (SyncPeer peer : peers.values()) {
      long id = peer.handle.id();
      HeaderNode known = peer.bestKnown;
      int syncedHeaders = known == null ? -1 : known.height();
      int syncedBlocks = known == null ? -1 : HeaderNode.lastCommonAncestor(known, tip).height();
      syncs.put(id, new SyncState.PeerSync(syncedHeaders, syncedBlocks, download.inFlightHeights(id)));
    }
    return Map.copyOf(syncs);
  }
}
