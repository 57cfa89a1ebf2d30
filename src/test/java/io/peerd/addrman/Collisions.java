package io.peerd.addrman;

/** Finds addresses that share a slot with another under a key, by trying the ports of one host. */
final class Collisions {
  private Collisions() {}

  /** An address on {@code address}'s host whose tried slot is {@code address}'s. */
  static PeerAddress inTried(byte[] key, PeerAddress address) {
    BucketHasher hasher = new BucketHasher(key);
    int bucket = hasher.triedBucket(address);
    int slot = hasher.slot(false, bucket, address);
    for (int port = 1; port <= 0xffff; port++) {
      PeerAddress candidate = new PeerAddress(address.host(), port);
      if (port != address.port() && hasher.triedBucket(candidate) == bucket && hasher.slot(false, bucket, candidate) == slot) {
        return candidate;
      }
    }
    throw new AssertionError("no port of " + address.host() + " shares its tried slot");
  }

  /** An address on {@code address}'s host whose new slot, learned from {@code source}, is {@code address}'s. */
  static PeerAddress inNew(byte[] key, PeerAddress address, Host source) {
    BucketHasher hasher = new BucketHasher(key);
    int bucket = hasher.newBucket(address, source);
    int slot = hasher.slot(true, bucket, address);
    for (int port = 1; port <= 0xffff; port++) {
      PeerAddress candidate = new PeerAddress(address.host(), port);
      if (port != address.port() && hasher.newBucket(candidate, source) == bucket
          && hasher.slot(true, bucket, candidate) == slot) {
        return candidate;
      }
    }
    throw new AssertionError("no port of " + address.host() + " shares its new slot");
  }
}
