package io.peerd.testing;

import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A handshaked {@link RawPeer} that answers the node's getdata from the blocks it was given, on a
 * thread of its own, and notfound for the others, as an honest peer on one branch does. Records
 * every block hash the node asked for.
 */
public final class BlockFeeder implements AutoCloseable {
  private final RawPeer peer;
  private final Map<Hash, Block> blocks = new ConcurrentHashMap<>();
  private final List<Hash> requested = new ArrayList<>();
  private final Thread thread;

  private BlockFeeder(RawPeer peer, List<Block> served) {
    this.peer = peer;
    served.forEach(block -> blocks.put(block.hash(), block));
    this.thread = Thread.ofPlatform().daemon().name("feeder " + peer).start(this::serve);
  }

  /** Starts answering on {@code peer}, which must have finished its handshake. */
  public static BlockFeeder serving(RawPeer peer, List<Block> blocks) {
    return new BlockFeeder(peer, blocks);
  }

  /** Hashes the node asked for so far, in order. */
  public synchronized List<Hash> requested() {
    return List.copyOf(requested);
  }

  private void serve() {
    try {
      while (true) {
        if (awaitMessage() instanceof Message.GetData inv) {
          answer(inv.items());
        }
      }
    } catch (IOException closed) {
      // the node or the test closed the connection: nothing more to serve
    }
  }

  /** The next message; silence (the node has nothing to ask) is waited out. */
  private Message awaitMessage() throws IOException {
    while (true) {
      try {
        return peer.next();
      } catch (AssertionError silence) {
        // RawPeer's read timed out before a frame began
      }
    }
  }

  private void answer(List<InventoryItem> items) throws IOException {
    List<InventoryItem> missing = new ArrayList<>();
    for (InventoryItem item : items) {
      synchronized (this) {
        requested.add(item.hash());
      }
      Block block = blocks.get(item.hash());
      if (block == null) {
        missing.add(item);
      } else {
        peer.send(new Message.BlockMessage(block));
      }
    }
    if (!missing.isEmpty()) {
      peer.send(new Message.NotFound(missing));
    }
  }

  /** Waits until the node closed the connection; fails if it is still open after {@link RawPeer#TIMEOUT}. */
  public void awaitDisconnected() throws InterruptedException {
    thread.join(RawPeer.TIMEOUT.toMillis());
    if (thread.isAlive()) {
      throw new AssertionError("the node did not disconnect " + peer + " within " + RawPeer.TIMEOUT);
    }
  }

  @Override
  public void close() throws Exception {
    peer.close();
    thread.join(TimeUnit.SECONDS.toMillis(5));
  }
}
