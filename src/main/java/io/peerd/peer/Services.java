package io.peerd.peer;

import java.util.ArrayList;
import java.util.List;

/** Service bits in version messages (BIP111, BIP144, BIP159). */
public final class Services {
  public static final long NODE_NETWORK = 1;
  public static final long NODE_WITNESS = 1 << 3;
  public static final long NODE_NETWORK_LIMITED = 1 << 10;
  /** What an outbound full-relay peer must offer: the whole chain, with witness data. */
  public static final long REQUIRED_OUTBOUND = NODE_NETWORK | NODE_WITNESS;

  private Services() {}

  public static boolean hasAll(long services, long required) {
    return (services & required) == required;
  }

  /** Bitcoin Core's names for the bits set, lowest first; a bit it does not name is "UNKNOWN[2^n]". */
  public static List<String> names(long services) {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < Long.SIZE; bit++) {
      if ((services & 1L << bit) != 0) {
        names.add(name(bit));
      }
    }
    return names;
  }

  private static String name(int bit) {
    return switch (bit) {
      case 0 -> "NETWORK";
      case 2 -> "BLOOM";
      case 3 -> "WITNESS";
      case 6 -> "COMPACT_FILTERS";
      case 10 -> "NETWORK_LIMITED";
      case 11 -> "P2P_V2";
      default -> "UNKNOWN[2^" + bit + "]";
    };
  }
}
