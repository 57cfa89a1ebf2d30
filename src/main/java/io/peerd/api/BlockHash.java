package io.peerd.api;

import io.peerd.wire.Hash;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A block hash as Bitcoin Core and block explorers show it: 64 lowercase hex digits, byte-reversed
 * from the wire order.
 */
public record BlockHash(String hex) {
  private static final int HEX_DIGITS = 64;

  public BlockHash {
    hex = hex.toLowerCase(Locale.ROOT);
    if (hex.length() != HEX_DIGITS || !hex.chars().allMatch(HexFormat::isHexDigit)) {
      throw new IllegalArgumentException("a block hash is " + HEX_DIGITS + " hex digits, not '" + hex + "'");
    }
  }

  static BlockHash of(Hash hash) {
    return new BlockHash(hash.toString());
  }

  Hash toHash() {
    return Hash.fromHex(hex);
  }

  @Override
  public String toString() {
    return hex;
  }
}
