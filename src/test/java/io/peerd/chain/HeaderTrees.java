package io.peerd.chain;

import io.peerd.store.HeaderStatus;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * Header trees built directly from {@link HeaderNode}s, without proof of work or validation:
 * for tests of the tree's own logic (ancestors, forks, serving ranges), fast at thousands of nodes.
 */
final class HeaderTrees {
  private static final int REGTEST_BITS = 0x207fffff;

  private HeaderTrees() {}

  static HeaderNode genesis() {
    return new HeaderNode(NetworkParameters.REGTEST.genesis().header(), null, HeaderStatus.VALID, true);
  }

  /**
   * {@code count} nodes on {@code parent}, returned by height: element i is at height
   * {@code parent.height() + 1 + i}. {@code branch} makes sibling branches' hashes differ.
   */
  static List<HeaderNode> extend(HeaderNode parent, int count, int branch) {
    List<HeaderNode> nodes = new ArrayList<>(count);
    HeaderNode tip = parent;
    for (int i = 0; i < count; i++) {
      BlockHeader header = new BlockHeader(0x20000000, tip.hash(), Hash.ZERO, 1_700_000_000L + tip.height() + 1,
          REGTEST_BITS, branch);
      tip = new HeaderNode(header, tip, HeaderStatus.VALID, true);
      nodes.add(tip);
    }
    return nodes;
  }

  /** Genesis and {@code length} nodes on it, indexed by height. */
  static List<HeaderNode> chain(int length) {
    List<HeaderNode> chain = new ArrayList<>(length + 1);
    chain.add(genesis());
    chain.addAll(extend(chain.get(0), length, 0));
    return chain;
  }
}
