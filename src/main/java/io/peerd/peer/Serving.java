package io.peerd.peer;

import io.peerd.chain.ChainView;
import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import io.peerd.wire.WireException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a peer's getheaders, getblocks and getdata from the published {@link ChainView}, on the
 * peer's reader thread (it never asks the chain actor). Blocks go out one at a time while the
 * peer's unsent bytes stay under {@link PeerConfig#servePauseBytes}, without witness data unless
 * asked for it; transactions are never served (no mempool).
 */
final class Serving {
  static final int MAX_HEADERS_SERVED = Message.MAX_HEADERS;
  static final int MAX_INVENTORY_SERVED = 500;

  private final ChainView chain;
  private final Outbox outbox;
  private final long servePauseBytes;
  /** Reader-owned: the last hash of a getblocks answer cut at 500, for Core's continuation inv. */
  private Hash continueHash;

  Serving(ChainView chain, Outbox outbox, long servePauseBytes) {
    this.chain = chain;
    this.outbox = outbox;
    this.servePauseBytes = servePauseBytes;
  }

  void headers(Message.GetHeaders request) {
    outbox.send(new Message.Headers(chain.headersAfter(request.hashes(), request.stopHash(), MAX_HEADERS_SERVED)));
  }

  void blockHashes(Message.GetBlocks request) {
    List<Hash> hashes = chain.hashesAfter(request.hashes(), request.stopHash(), MAX_INVENTORY_SERVED);
    if (hashes.isEmpty()) {
      return;
    }
    continueHash = hashes.size() == MAX_INVENTORY_SERVED ? hashes.getLast() : null;
    outbox.send(new Message.Inv(hashes.stream().map(InventoryItem::block).toList()));
  }

  /** Blocks one at a time, pausing while the send queue is full; notfound for the rest. */
  void data(List<InventoryItem> items) throws InterruptedException {
    List<InventoryItem> notFound = new ArrayList<>();
    for (InventoryItem item : items) {
      if (item.baseType() != InventoryItem.BLOCK) {
        notFound.add(item); // no mempool: transactions are never served
        continue;
      }
      if (!outbox.awaitBelow(servePauseBytes)) {
        return;
      }
      byte[] block = chain.block(item.hash()).orElse(null);
      if (block == null) {
        notFound.add(item);
        continue;
      }
      outbox.sendFrame("block", asRequested(item, block));
      if (item.hash().equals(continueHash)) {
        announceTipForContinuation();
      }
    }
    if (!notFound.isEmpty()) {
      outbox.send(new Message.NotFound(notFound));
    }
  }

  /**
   * After the last block of a getblocks answer cut at 500, an inv of our tip tells a client
   * that downloads with getblocks (bitcoinj) to ask for more, as Bitcoin Core does.
   */
  private void announceTipForContinuation() {
    continueHash = null;
    Hash tip = chain.snapshot().tip().hash();
    outbox.send(new Message.Inv(List.of(InventoryItem.block(tip))));
  }

  /** The stored block as is for a witness request, stripped of witness data otherwise. */
  private static byte[] asRequested(InventoryItem item, byte[] stored) {
    return (item.type() & InventoryItem.WITNESS_FLAG) != 0 ? stored : withoutWitness(stored);
  }

  private static byte[] withoutWitness(byte[] stored) {
    try {
      Block block = Block.fromBytes(stored);
      return block.hasWitness() ? block.serialize(false) : stored;
    } catch (WireException e) {
      throw new IllegalStateException("stored block does not decode", e);
    }
  }
}
