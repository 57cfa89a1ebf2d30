package io.peerd.produce;

import io.peerd.ha.HaConfig;

/**
 * Block production (regtest): a block every {@code intervalMillis} paying {@code payToScript};
 * with {@code ha}, only as the leader of that Raft group (null: alone, from this node's own chain).
 */
public record ProductionConfig(long intervalMillis, byte[] payToScript, HaConfig ha) {
  public ProductionConfig {
    if (intervalMillis < IntervalProducer.MIN_INTERVAL_MILLIS) {
      throw new IllegalArgumentException("--produce-interval must be at least "
          + IntervalProducer.MIN_INTERVAL_MILLIS / 1000.0 + " s");
    }
    payToScript = payToScript.clone();
  }

  @Override
  public byte[] payToScript() {
    return payToScript.clone();
  }
}
