package io.peerd.chain;

/**
 * What the chain looked like after one change, published for every thread: the tip (the chain
 * peerd serves) and the best header (what sync downloads towards). Immutable; through it, other
 * threads read the nodes' fixed fields, and their volatile status and counts (see {@link HeaderNode}).
 */
public record ChainSnapshot(HeaderNode tip, HeaderNode bestHeader) {
  public int tipHeight() {
    return tip.height();
  }

  /**
   * True when the tip has as much work as the best header: every block worth having is connected.
   * A header of equal work whose block never came (a competitor seen first) does not hold it back.
   */
  public boolean blocksCaughtUp() {
    return tip.chainWork().compareTo(bestHeader.chainWork()) >= 0;
  }
}
