package io.peerd.peer;

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
}
