package io.peerd.chain;

import java.math.BigInteger;

/** The bits a header must carry, given its parent: Bitcoin Core's GetNextWorkRequired. */
public final class Difficulty {
  private Difficulty() {}

  public static int nextBits(NetworkParameters params, HeaderNode parent, long newHeaderTime) {
    if (params.noRetargeting()) {
      return parent.header().bits();
    }
    int interval = params.retargetIntervalBlocks();
    if ((parent.height() + 1) % interval != 0) {
      return params.allowMinDifficultyBlocks() ? minDifficultyRuleBits(params, parent, newHeaderTime)
          : parent.header().bits();
    }
    HeaderNode first = parent.ancestor(parent.height() - (interval - 1));
    return retarget(params, parent, first);
  }

  /**
   * Testnet's 20-minute rule: a block more than twice the target spacing after its parent may
   * use the minimum difficulty; otherwise it takes the bits of the last block that did not.
   */
  private static int minDifficultyRuleBits(NetworkParameters params, HeaderNode parent, long newHeaderTime) {
    int powLimitBits = params.powLimitBits();
    if (newHeaderTime > parent.header().time() + 2 * params.targetSpacingSeconds()) {
      return powLimitBits;
    }
    HeaderNode node = parent;
    while (node.parent() != null && node.height() % params.retargetIntervalBlocks() != 0
        && node.header().bits() == powLimitBits) {
      node = node.parent();
    }
    return node.header().bits();
  }

  /**
   * New target = old target x actual timespan / target timespan, the timespan clamped to a
   * factor of four. Core measures from the period's first block to its last (2015 intervals,
   * an off-by-one kept for consensus). BIP94 (testnet4) takes the old target from the period's
   * first block, which the 20-minute rule cannot lower.
   */
  static int retarget(NetworkParameters params, HeaderNode last, HeaderNode first) {
    long timespan = params.targetTimespanSeconds();
    long actual = last.header().time() - first.header().time();
    actual = Math.max(timespan / 4, Math.min(timespan * 4, actual));
    int oldBits = params.enforceBip94() ? first.header().bits() : last.header().bits();
    BigInteger target = ProofOfWork.target(oldBits)
        .multiply(BigInteger.valueOf(actual))
        .divide(BigInteger.valueOf(timespan));
    return ProofOfWork.encodeCompact(target.min(params.powLimit()));
  }
}
