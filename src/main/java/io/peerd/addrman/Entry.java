package io.peerd.addrman;

/**
 * One address the manager knows, with what it has learned of it (Bitcoin Core's
 * {@code AddrInfo}): when it was last seen, tried and connected, how many attempts failed since,
 * and where it sits in the tables. Mutable, and only the owning {@link AddressManager}'s thread
 * touches it.
 */
final class Entry {
  /** Core's ADDRMAN_HORIZON: an address not seen for 30 days is terrible. */
  static final long HORIZON_SECONDS = 30L * 24 * 60 * 60;
  /** Core's ADDRMAN_RETRIES: an address that failed this often and never connected is terrible. */
  static final int MAX_ATTEMPTS_NEVER_CONNECTED = 3;
  /** Core's ADDRMAN_MAX_FAILURES: this many failures since a success ... */
  static final int MAX_FAILURES = 10;
  /** ... with that success longer ago than a week (Core's ADDRMAN_MIN_FAIL) is terrible. */
  static final long MIN_FAIL_SECONDS = 7L * 24 * 60 * 60;
  /** A time this far ahead of ours is a lie: Core's "flying DeLorean". */
  static final long MAX_FUTURE_SECONDS = 10 * 60;
  /** An address tried this recently is never terrible: the attempt is still in progress. */
  static final long GRACE_AFTER_TRY_SECONDS = 60;
  /** An address tried less than 10 minutes ago is 100 times less likely to be selected again. */
  static final long RECENT_TRY_SECONDS = 10 * 60;
  /** Failures lower the chance by 0.66 each, counted up to 8 (1/28th), so outages do not bury an address. */
  static final int MAX_COUNTED_FAILURES = 8;
  /** The lowest {@link #chance}: tried just now, after 8 or more failures. */
  static final double MIN_CHANCE = 0.01 * Math.pow(0.66, MAX_COUNTED_FAILURES);

  final PeerAddress address;
  /** The host that first told us of this address: its group picks the new buckets on a re-bucketing. */
  final Host source;
  long services;
  /** Last seen, as gossiped and penalized (Core's {@code nTime}). */
  long timeSeconds;
  long lastTrySeconds;
  /** When a failure was last counted: one per {@link AddressManager#good} anywhere, see there. */
  long lastCountAttemptSeconds;
  long lastSuccessSeconds;
  /** Failed attempts since the last success. */
  int attempts;
  /** The new buckets holding this entry, {@code newReferenceCount} of them; none while in tried. */
  final int[] newBuckets = new int[AddressTables.MAX_NEW_REFERENCES];
  int newReferenceCount;
  boolean inTried;
  /** Its index in {@link AddressTables}'s random order, for O(1) removal. */
  int randomPosition = -1;

  Entry(PeerAddress address, Host source, long services, long timeSeconds) {
    this.address = address;
    this.source = source;
    this.services = services;
    this.timeSeconds = timeSeconds;
  }

  Network network() {
    return address.network();
  }

  /**
   * Whether this address is not worth keeping or sharing (Core's {@code IsTerrible}): it claims to
   * be from the future, was not seen for 30 days, failed 3 times without ever connecting, or failed
   * 10 times with its last success over a week ago. An address tried in the last minute is spared.
   */
  boolean isTerrible(long nowSeconds) {
    if (lastTrySeconds > 0 && nowSeconds - lastTrySeconds <= GRACE_AFTER_TRY_SECONDS) {
      return false;
    }
    if (timeSeconds > nowSeconds + MAX_FUTURE_SECONDS) {
      return true;
    }
    if (nowSeconds - timeSeconds > HORIZON_SECONDS) {
      return true;
    }
    if (lastSuccessSeconds == 0 && attempts >= MAX_ATTEMPTS_NEVER_CONNECTED) {
      return true;
    }
    return nowSeconds - lastSuccessSeconds > MIN_FAIL_SECONDS && attempts >= MAX_FAILURES;
  }

  /** The relative chance to select this address (Core's {@code GetChance}), in [{@link #MIN_CHANCE}, 1]. */
  double chance(long nowSeconds) {
    double chance = 1.0;
    if (nowSeconds - lastTrySeconds < RECENT_TRY_SECONDS) {
      chance *= 0.01;
    }
    return chance * Math.pow(0.66, Math.min(attempts, MAX_COUNTED_FAILURES));
  }

  KnownAddress known() {
    return new KnownAddress(address, services, timeSeconds, lastTrySeconds);
  }

  @Override
  public String toString() {
    return address + (inTried ? " (tried)" : " (new x" + newReferenceCount + ")");
  }
}
