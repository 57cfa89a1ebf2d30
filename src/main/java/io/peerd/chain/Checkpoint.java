package io.peerd.chain;

import io.peerd.wire.Hash;

/** A block hash the network's history is known to contain at a height. */
public record Checkpoint(int height, Hash hash) {
  public static Checkpoint of(int height, String displayHash) {
    return new Checkpoint(height, Hash.fromHex(displayHash));
  }
}
