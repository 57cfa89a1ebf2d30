package io.peerd.lifecycle;

import io.peerd.peer.PeerEvents;
import io.peerd.peer.Received;
import io.peerd.testing.FakePeer;
import io.peerd.testing.TestChains;
import io.peerd.wire.Block;
import io.peerd.wire.Message;
import java.util.List;

/** A few regtest blocks mined once, and a peer that pushes them all at once. */
final class BlockStorm {
  static final List<Block> BLOCKS = TestChains.mine(5);

  private BlockStorm() {}

  /** Every block from {@code peer}, back to back, as its reader would forward them. */
  static void push(PeerEvents events, FakePeer peer) {
    push(events, peer, BLOCKS);
  }

  static void push(PeerEvents events, FakePeer peer, List<Block> blocks) {
    for (Block block : blocks) {
      events.syncMessage(new Received(peer, new Message.BlockMessage(block), block.serialize(true), () -> { }));
    }
  }
}
