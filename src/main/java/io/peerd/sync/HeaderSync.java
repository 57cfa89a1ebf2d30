package io.peerd.sync;

import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.peer.Peer;
import io.peerd.peer.PeerConfig;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headers-first download: getheaders to peers, their answers and announcements handed to the
 * chain, and the next request for a full batch sent before the chain has validated it. It owns
 * the header batches at the chain (handed over, not yet processed) and keeps each peer's header
 * request deadline and missed flag on its {@link SyncPeer}. Which peer is asked is the sync
 * manager's choice. Not thread-safe: only the sync manager's thread calls it.
 */
final class HeaderSync {
  /** The sync manager's log, as before header sync had its own class. */
  private static final Logger log = LoggerFactory.getLogger(SyncManager.class);

  private final ChainActor chain;
  private final ChainView view;
  private final LongSupplier clockMillis;
  private final long headersTimeoutMillis;
  /**
   * Header batches at the chain by last hash, each with the known header it hangs from (for
   * locators); at most one per headers message handed over.
   */
  private final Map<Hash, HeaderNode> headersAtChain = new HashMap<>();

  HeaderSync(SyncConfig config, ChainActor chain, ChainView view, LongSupplier clockMillis) {
    this.chain = chain;
    this.view = view;
    this.clockMillis = clockMillis;
    this.headersTimeoutMillis = config.headersTimeoutMillis();
  }

  /** Header batches handed to the chain and not yet processed. */
  int batchesAtChain() {
    return headersAtChain.size();
  }

  /** Asks {@code peer} for the headers after our best header, up to {@code stop} (zero: all it has). */
  void requestHeaders(SyncPeer peer, Hash stop) {
    sendGetHeaders(peer, Chain.locator(view.snapshot().bestHeader()), stop);
  }

  private void sendGetHeaders(SyncPeer peer, List<Hash> locator, Hash stop) {
    Message.GetHeaders getHeaders = new Message.GetHeaders(PeerConfig.PROTOCOL_VERSION, locator, stop);
    if (peer.handle.send(getHeaders)) {
      peer.headersDeadlineMillis = clockMillis.getAsLong() + headersTimeoutMillis;
    }
  }

  /**
   * A connecting (or empty) headers message answers our getheaders; one that does not connect is
   * an announcement. Headers that do not each build on the one before are misbehavior (as Core).
   */
  void headersReceived(SyncPeer peer, List<BlockHeader> headers) {
    if (headers.isEmpty()) {
      peer.headersDeadlineMillis = 0;
      return;
    }
    if (!continuous(headers)) {
      // Core discourages at once (which disconnects) for headers that do not form a chain.
      peer.handle.misbehaving(Peer.DISCOURAGE_SCORE, "non-continuous headers sequence");
      return;
    }
    HeaderNode anchor = connectionPoint(headers.getFirst().previousHash());
    if (anchor == null) {
      unconnectingHeaders(peer);
      return;
    }
    peer.headersDeadlineMillis = 0;
    handToChain(peer, headers, anchor);
  }

  private void handToChain(SyncPeer peer, List<BlockHeader> headers, HeaderNode anchor) {
    if (!chain.acceptHeaders(peer.handle, headers)) {
      log.debug("chain busy: dropping {} headers from {}, asking again later", headers.size(), peer.handle);
      peer.headersMissed = true;
      return;
    }
    headersAtChain.put(headers.getLast().hash(), anchor);
    if (headers.size() == Message.MAX_HEADERS) {
      requestMoreHeaders(peer, headers.getLast(), anchor); // while the chain validates these
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
   * The known header that headers whose first parent is {@code previous} hang from: that header
   * if the chain knows it, or the anchor of the batch at the chain that ends with it (header
   * download runs ahead of validation); null if neither.
   */
  private HeaderNode connectionPoint(Hash previous) {
    HeaderNode known = view.header(previous).orElse(null);
    return known != null ? known : headersAtChain.get(previous);
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
    if (peer.headersRequestOut()) {
      peer.headersMissed = true;
    } else {
      requestHeaders(peer, Hash.ZERO);
    }
  }

  /** The chain processed the batch ending with {@code last}: it is no longer a connection point. */
  void batchProcessed(BlockHeader last, Collection<SyncPeer> peers) {
    headersAtChain.remove(last.hash());
    askAgainForMissedHeaders(peers);
  }

  /**
   * Missed headers may have been a peer's last announcement: nothing else would make us ask for
   * what follows them, and sync would sit idle behind a peer that has more. So once every batch
   * handed over is processed (the chain has room again and its best header is where asking should
   * start), ask each such peer that has no request out.
   */
  void askAgainForMissedHeaders(Collection<SyncPeer> peers) {
    if (!headersAtChain.isEmpty()) {
      return;
    }
    for (SyncPeer peer : peers) {
      if (peer.headersMissed && !peer.headersRequestOut()) {
        peer.headersMissed = false;
        requestHeaders(peer, Hash.ZERO);
      }
    }
  }

  /**
   * Announced blocks: a known one is what the peer has; for unknown ones ask the announcer for
   * the headers up to them (as Core does).
   */
  void blocksAnnounced(SyncPeer peer, List<InventoryItem> items) {
    boolean asked = false;
    for (InventoryItem item : items) {
      if (item.baseType() != InventoryItem.BLOCK) {
        continue;
      }
      HeaderNode known = view.header(item.hash()).orElse(null);
      if (known != null) {
        peer.has(known);
      } else if (!asked && !headersAtChain.containsKey(item.hash())) {
        requestHeaders(peer, item.hash());
        asked = true; // one getheaders answers the whole announcement
      }
    }
  }
}
