package io.peerd.server;

import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.peer.PeerHandle;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Tip announcement. It owns the last tip announced, and announces every new tip to every
 * handshaked peer of the {@link Registry}, headers to those that asked for them (BIP130) and inv
 * to the others, as Core does: not in initial block download (a burst of announcements of blocks
 * everybody else already has), but whatever headers we know beside it (a miner must not lose a
 * block race to a competitor's header whose block never came).
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class TipAnnouncer {
  /** Headers announced to sendheaders peers per new tip; more than this and only the tip goes, as inv. */
  private static final int MAX_HEADERS_ANNOUNCED = 8;

  private final ChainView chain;
  private final InitialBlockDownload initialBlockDownload;
  private final Registry registry;
  private HeaderNode lastAnnounced;

  TipAnnouncer(ChainView chain, InitialBlockDownload initialBlockDownload, Registry registry) {
    this.chain = chain;
    this.initialBlockDownload = initialBlockDownload;
    this.registry = registry;
  }

  /** The tip when the server starts is taken as announced: only later ones are. */
  void start() {
    lastAnnounced = chain.snapshot().tip();
  }

  /** Announces the chain's tip if it is new and the node is out of initial block download. */
  void announceTip() {
    ChainSnapshot snapshot = chain.snapshot();
    HeaderNode tip = snapshot.tip();
    if (tip == lastAnnounced || initialBlockDownload.isActive(snapshot)) {
      return;
    }
    List<HeaderNode> fresh = newSinceLastAnnounced(tip);
    lastAnnounced = tip;
    Message headers = new Message.Headers(fresh.stream().map(HeaderNode::header).toList());
    Message inv = new Message.Inv(List.of(InventoryItem.block(tip.hash())));
    for (Registry.Entry entry : registry.entries()) {
      if (entry.active()) {
        PeerHandle peer = entry.peer();
        peer.send(peer.prefersHeaderAnnouncements() && !fresh.isEmpty() ? headers : inv);
      }
    }
  }

  /** Blocks since the last announced tip, oldest first; empty after a reorg or a long gap. */
  private List<HeaderNode> newSinceLastAnnounced(HeaderNode tip) {
    if (!lastAnnounced.isAncestorOf(tip) || tip.height() - lastAnnounced.height() > MAX_HEADERS_ANNOUNCED) {
      return List.of();
    }
    List<HeaderNode> fresh = new ArrayList<>();
    for (HeaderNode node = tip; node != lastAnnounced; node = node.parent()) {
      fresh.add(node);
    }
    return fresh.reversed();
  }
}
