package io.peerd.testing;

import io.peerd.chain.BlockBuilder;
import io.peerd.chain.Chain;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.wire.Block;
import java.util.ArrayList;
import java.util.List;

/** Regtest chains in memory, for tests that need a real chain but no store on disk. */
public final class TestChains {
  private TestChains() {}

  /** A regtest chain at genesis whose clock is far in the future, so no block is too new. */
  public static Chain fresh() {
    return Chain.open(NetworkParameters.REGTEST, new MemoryChainStore(), () -> Long.MAX_VALUE / 2);
  }

  /** {@code count} valid blocks on regtest genesis, each connected to a chain of their own first. */
  public static List<Block> mine(int count) {
    Chain chain = fresh();
    BlockBuilder builder = new BlockBuilder(chain.params());
    List<Block> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      HeaderNode tip = chain.tip();
      Block block = builder.mine(tip, new byte[] {0x51}, i, tip.header().time() + 1);
      Chain.BlockOutcome outcome = chain.acceptBlock(block, block.serialize(true)).outcome();
      if (outcome != Chain.BlockOutcome.CONNECTED) {
        throw new AssertionError("mined block " + block.hash() + " was " + outcome);
      }
      blocks.add(block);
    }
    return List.copyOf(blocks);
  }
}
