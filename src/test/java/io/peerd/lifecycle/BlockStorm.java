package io.peerd.lifecycle;

import io.peerd.chain.BlockBuilder;
import io.peerd.chain.Chain;
import io.peerd.chain.HeaderNode;
import io.peerd.peer.PeerEvents;
import io.peerd.peer.Received;
import io.peerd.testing.FakePeer;
import io.peerd.wire.Block;
import io.peerd.wire.Message;
import java.util.ArrayList;
import java.util.List;

/** A few regtest blocks mined once, and a peer that pushes them all at once. */
final class BlockStorm {
  static final List<Block> BLOCKS = mine(5);

  private BlockStorm() {}

  private static List<Block> mine(int count) {
    Chain chain = ActorSystem.freshChain();
    BlockBuilder builder = new BlockBuilder(chain.params());
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HeaderNode tip = chain.tip();
      Block block = builder.mine(tip, new byte[] {0x51}, i, tip.header().time() + 1);
      chain.acceptBlock(block, block.serialize(true));
      blocks.add(block);
    }
    return List.copyOf(blocks);
  }

  /** Every block from {@code peer}, back to back, as its reader would forward them. */
  static void push(PeerEvents events, FakePeer peer) {
    for (Block block : BLOCKS) {
      events.received(new Received(peer, new Message.BlockMessage(block), block.serialize(true), () -> { }));
    }
  }
}
