package io.peerd.testing;

import io.peerd.chain.BlockBuilder;
import io.peerd.chain.Chain;
import io.peerd.chain.HeaderNode;
import io.peerd.node.Node;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import io.peerd.wire.WireException;
import java.util.ArrayList;
import java.util.List;

/**
 * Competing branches on a node's chain, for chain-selection tests: a mirror of the node's tip
 * chain in memory, on which any block can be extended with valid blocks whose times follow their
 * parent's (so a node that mined with the wall clock stays out of initial block download).
 */
public final class Branches {
  private final Chain mirror = TestChains.fresh();
  private final BlockBuilder builder = new BlockBuilder(mirror.params());
  /** Distinguishes every block built here from the node's and from each other. */
  private long extraNonce = 1_000_000;

  private Branches() {}

  /** A mirror of {@code node}'s tip chain as it is now. */
  public static Branches of(Node node) throws WireException {
    Branches branches = new Branches();
    HeaderNode tip = node.snapshot().tip();
    for (int height = 1; height <= tip.height(); height++) {
      Hash hash = tip.ancestor(height).hash();
      Block block = Block.fromBytes(node.chainView().block(hash).orElseThrow());
      branches.accept(block);
    }
    return branches;
  }

  /** {@code count} valid blocks, the first on {@code parent}, each on the one before. */
  public List<Block> extend(Hash parent, int count) {
    List<Block> blocks = new ArrayList<>(count);
    HeaderNode tip = node(parent);
    for (int i = 0; i < count; i++) {
      Block block = builder.mine(tip, TestNodes.regtestScript(), extraNonce++, tip.header().time() + 1);
      accept(block);
      blocks.add(block);
      tip = node(block.hash());
    }
    return blocks;
  }

  /** A block on {@code parent} whose coinbase claims the wrong height: its header is invalid for good. */
  public Block invalid(Hash parent) {
    HeaderNode node = node(parent);
    Block valid = builder.mine(node.ancestor(node.height() - 1), TestNodes.regtestScript(), extraNonce++,
        node.header().time() + 1);
    Transaction coinbase = valid.transactions().getFirst(); // commits to the parent's height
    BlockHeader header = BlockBuilder.solve(new BlockHeader(valid.header().version(), parent,
        valid.header().merkleRoot(), node.header().time() + 1, node.header().bits(), 0));
    return new Block(header, List.of(coinbase));
  }

  /** {@code block} with other transactions under the same header: a mutated copy, refused without blaming the header. */
  public static Block mutated(Block block) {
    Transaction coinbase = block.transactions().getFirst();
    Transaction other = new Transaction(coinbase.version(), coinbase.inputs(),
        List.of(new Transaction.Output(1, TestNodes.regtestScript())), coinbase.lockTime());
    return new Block(block.header(), List.of(other));
  }

  public static List<BlockHeader> headers(List<Block> blocks) {
    return blocks.stream().map(Block::header).toList();
  }

  public HeaderNode node(Hash hash) {
    return mirror.header(hash).orElseThrow(() -> new AssertionError("no block " + hash + " in the mirror"));
  }

  private void accept(Block block) {
    Chain.BlockResult result = mirror.acceptBlock(block, block.serialize(true));
    if (result.outcome() != Chain.BlockOutcome.CONNECTED && result.outcome() != Chain.BlockOutcome.STORED) {
      throw new AssertionError("mirror refused " + block.hash() + ": " + result);
    }
  }
}
