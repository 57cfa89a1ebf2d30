package io.peerd.addrman;

import io.peerd.wire.AddressV2;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The addresses of peers we may connect to, after Bitcoin Core's address manager: which ones we
 * heard of and from whom, which ones we reached, and which to try next.
 *
 * <p>Addresses heard of go to the <em>new</em> table (1,024 buckets of 64 slots), addresses we
 * connected to go to the <em>tried</em> table (256 buckets of 64). The bucket and slot of an
 * address come from a secret key and the network groups of the address and of its source
 * ({@link BucketHasher}), so a peer, or many peers in one network group, can fill only a small
 * part of the tables however many addresses they send. Entries that are not worth keeping
 * ({@link Entry#isTerrible}) are the first overwritten. A full table forgets, it never grows:
 * everything here is bounded by the table sizes ({@link AddressTables#MAX_ENTRIES} entries, 10
 * tried collisions).
 *
 * <p>Single-threaded: the server actor's thread owns it, and nothing else may call it. It takes
 * no locks. Time comes from the injected clock and chance from the injected {@link Random}, so a
 * test with a seeded one sees the same choices every run.
 */
public final class AddressManager {
  /** Core's MAX_ADDR_TO_SEND: the most addresses one getaddr answer holds. */
  public static final int GETADDR_MAX_ADDRESSES = 1000;
  /** Core's MAX_PCT_ADDR_TO_SEND: a getaddr answer shows at most this share of what we know. */
  public static final int GETADDR_MAX_PERCENT = 23;
  /** The size of the secret key that places addresses in buckets. */
  public static final int KEY_BYTES = BucketHasher.KEY_BYTES;
  /** Core's ADDRMAN_SET_TRIED_COLLISION_SIZE: tried collisions waiting for a test, at most. */
  static final int MAX_TRIED_COLLISIONS = 10;
  /** Core's ADDRMAN_REPLACEMENT: a tried entry that connected this recently is not evicted. */
  static final long REPLACEMENT_SECONDS = 4 * 60 * 60;
  /** Core's ADDRMAN_TEST_WINDOW: a collision nobody tested this long evicts the old entry. */
  static final long COLLISION_TEST_WINDOW_SECONDS = 40 * 60;
  /** A failed test of the old entry counts once it had this long to connect. */
  static final long COLLISION_TEST_GRACE_SECONDS = 60;
  /** {@link #connected} moves an address's time at most this often, so it leaks little about our peers. */
  static final long CONNECTED_UPDATE_SECONDS = 20 * 60;
  /** An address gossiped with a time within this window counts as currently online ... */
  static final long ONLINE_WINDOW_SECONDS = 24 * 60 * 60;
  /** ... and then its time is refreshed at most hourly, otherwise daily. */
  static final long ONLINE_REFRESH_SECONDS = 60 * 60;
  static final long OFFLINE_REFRESH_SECONDS = 24 * 60 * 60;
  /** Each rejected draw raises the acceptance chance by this factor (Core's). */
  static final double CHANCE_GROWTH = 1.2;
  /** Draws after which even the least likely entry is accepted for sure, so a select ends within it. */
  static final int MAX_SELECT_DRAWS = drawsUntilCertain();

  private final AddressTables tables;
  private final RoutingPolicy policy;
  private final Random random;
  private final LongSupplier clockSeconds;
  /** Entries whose move to tried would evict another, awaiting a test of that one; at most {@link #MAX_TRIED_COLLISIONS}. */
  private final List<PeerAddress> triedCollisions = new ArrayList<>(MAX_TRIED_COLLISIONS);
  /** When {@link #good} was last called; 1 so that "never" is before it (Core's m_last_good). */
  private long lastGoodSeconds = 1;

  AddressManager(AddressTables tables, RoutingPolicy policy, Random random, LongSupplier clockSeconds) {
    this.tables = tables;
    this.policy = policy;
    this.random = random;
    this.clockSeconds = clockSeconds;
  }

  /**
   * An empty manager. {@code key} ({@link #KEY_BYTES} secret random bytes, kept across restarts
   * by {@link AddressFile}) places addresses; {@code clockSeconds} is the Unix time in seconds.
   */
  public static AddressManager create(RoutingPolicy policy, byte[] key, Random random, LongSupplier clockSeconds) {
    return new AddressManager(new AddressTables(new BucketHasher(key)), policy, random, clockSeconds);
  }

  /**
   * Learns addresses from {@code source} (the peer that sent them), into the new table. Addresses
   * the policy refuses, or on networks the manager does not keep, are skipped. Their times are
   * moved back by {@code timePenaltySeconds} (Core uses 2 hours for gossip), except for a peer's
   * own address. Returns how many were placed in a new bucket.
   */
  public int add(List<AddressV2> addresses, Host source, long timePenaltySeconds) {
    if (timePenaltySeconds < 0) {
      throw new IllegalArgumentException("a time penalty is not negative: " + timePenaltySeconds);
    }
    int placed = 0;
    for (AddressV2 wire : addresses) {
      Optional<PeerAddress> address = PeerAddress.fromWire(wire);
      if (address.isPresent() && policy.accepts(address.get())
          && addOne(address.get(), wire.services(), wire.timeSeconds(), source, timePenaltySeconds)) {
        placed++;
      }
    }
    return placed;
  }

  /**
   * Records a successful connection (after the handshake) and moves the address to the tried
   * table. If its tried slot is taken, the old entry is not evicted yet: the address waits in the
   * collisions until a feeler tests the old one ({@link #selectTriedCollision}, {@link
   * #resolveCollisions}). Returns whether the address moved to tried now.
   */
  public boolean good(PeerAddress address) {
    return good(address, true, now());
  }

  /**
   * Records a connection attempt. {@code countFailure} counts it as a failure, at most once per
   * {@link #good} anywhere: while we reach nobody, we are the ones offline, not the addresses.
   */
  public void attempt(PeerAddress address, boolean countFailure) {
    Entry entry = tables.find(address);
    if (entry == null) {
      return;
    }
    long now = now();
    entry.lastTrySeconds = now;
    if (countFailure && entry.lastCountAttemptSeconds < lastGoodSeconds) {
      entry.lastCountAttemptSeconds = now;
      entry.attempts++;
    }
  }

  /** Records that we were connected to the address until now (at a disconnect): its time moves at most every 20 minutes. */
  public void connected(PeerAddress address) {
    Entry entry = tables.find(address);
    long now = now();
    if (entry != null && now - entry.timeSeconds > CONNECTED_UPDATE_SECONDS) {
      entry.timeSeconds = now;
    }
  }

  /** Records the services a peer announced in its version message. */
  public void setServices(PeerAddress address, long services) {
    Entry entry = tables.find(address);
    if (entry != null) {
      entry.services = services;
    }
  }

  /** {@link #select(boolean, Set)} on every network. */
  public Optional<KnownAddress> select(boolean newOnly) {
    return select(newOnly, Network.ALL);
  }

  /**
   * An address to dial on one of {@code networks}, or empty if none is known (Core's
   * {@code Select}). From the tried or the new table with even odds (the new one only if {@code
   * newOnly}); within a table each bucket holding a candidate is equally likely, and an entry is
   * taken with its {@link Entry#chance}, raised by 1.2 at each refusal: at most {@link
   * #MAX_SELECT_DRAWS} draws. Unlike Core, terrible entries are candidates only when there is
   * nothing else: dialing one is almost always wasted, but after a long time offline every entry
   * is terrible, and a stale address is still better than none.
   */
  public Optional<KnownAddress> select(boolean newOnly, Set<Network> networks) {
    long now = now();
    Predicate<Entry> onNetworks = entry -> networks.contains(entry.network());
    Optional<KnownAddress> selected = select(newOnly, onNetworks.and(entry -> !entry.isTerrible(now)), now);
    return selected.isPresent() ? selected : select(newOnly, onNetworks, now);
  }

  /**
   * The tried entry one collision would evict, for a feeler to test, or empty if no collision
   * waits (Core's {@code SelectTriedCollision}).
   */
  public Optional<KnownAddress> selectTriedCollision() {
    if (triedCollisions.isEmpty()) {
      return Optional.empty();
    }
    int index = random.nextInt(triedCollisions.size());
    PeerAddress candidate = triedCollisions.get(index);
    if (tables.find(candidate) == null) {
      triedCollisions.remove(index);
      return Optional.empty();
    }
    return Optional.ofNullable(tables.triedOccupant(candidate)).map(Entry::known);
  }

  /**
   * Settles the collisions whose test has an outcome (Core's {@code ResolveCollisions}): an old
   * entry that connected in the last 4 hours stays; one whose test failed (tried over a minute
   * ago, within 4 hours) is evicted; so is one nobody tested within 40 minutes of the newcomer's
   * success. A newcomer that was forgotten meanwhile, or whose slot emptied, is settled too.
   */
  public void resolveCollisions() {
    long now = now();
    triedCollisions.removeIf(candidate -> resolveCollision(candidate, now));
  }

  /**
   * Up to {@code maxPercent} percent of the known addresses, at most {@code maxAddresses}, in
   * random order, on one of {@code networks} and none terrible (Core's {@code GetAddr}; a getaddr
   * answer uses {@link #GETADDR_MAX_ADDRESSES} and {@link #GETADDR_MAX_PERCENT}).
   */
  public List<KnownAddress> addresses(int maxAddresses, int maxPercent, Set<Network> networks) {
    if (maxAddresses < 1 || maxPercent < 1 || maxPercent > 100) {
      throw new IllegalArgumentException("need at least one address and a percentage in 1..100, not "
          + maxAddresses + " and " + maxPercent);
    }
    int known = tables.size();
    int wanted = (int) Math.min(maxAddresses, (long) maxPercent * known / 100);
    List<KnownAddress> chosen = new ArrayList<>(wanted);
    long now = now();
    for (int position = 0; position < known && chosen.size() < wanted; position++) {
      tables.swapRandom(position, position + random.nextInt(known - position));
      Entry entry = tables.randomAt(position);
      if (networks.contains(entry.network()) && !entry.isTerrible(now)) {
        chosen.add(entry.known());
      }
    }
    return chosen;
  }

  /** How many addresses are known. */
  public int size() {
    return tables.size();
  }

  /** How many addresses on {@code network} the new table holds (each once, however many buckets hold it). */
  public int newSize(Network network) {
    return tables.count(false, network);
  }

  /** How many addresses on {@code network} the tried table holds. */
  public int triedSize(Network network) {
    return tables.count(true, network);
  }

  AddressTables tables() {
    return tables;
  }

  private long now() {
    return clockSeconds.getAsLong();
  }

  /** Core's {@code AddSingle}: learns or refreshes one address, and maybe gives it one more new bucket. */
  private boolean addOne(PeerAddress address, long services, long timeSeconds, Host source, long penaltySeconds) {
    long penalty = address.host().equals(source) ? 0 : penaltySeconds; // a peer's own address is fresh
    Entry entry = tables.find(address);
    if (entry == null) {
      entry = tables.create(address, source, services, Math.max(0, timeSeconds - penalty));
    } else if (!refresh(entry, services, timeSeconds, penalty)) {
      return false;
    }
    return placeInNew(entry, tables.hasher.newBucket(address, source));
  }

  /**
   * Updates a known entry's time and services from gossip, and says whether it may gain another
   * new bucket: only with news (a later time), not in tried, under 8 buckets, and then with odds
   * halving for each bucket it already has, so popular addresses do not crowd the table.
   */
  private boolean refresh(Entry entry, long services, long timeSeconds, long penaltySeconds) {
    boolean online = now() - timeSeconds < ONLINE_WINDOW_SECONDS;
    long refreshSeconds = online ? ONLINE_REFRESH_SECONDS : OFFLINE_REFRESH_SECONDS;
    if (entry.timeSeconds < timeSeconds - refreshSeconds - penaltySeconds) {
      entry.timeSeconds = Math.max(0, timeSeconds - penaltySeconds);
    }
    entry.services |= services;
    if (timeSeconds <= entry.timeSeconds || entry.inTried
        || entry.newReferenceCount == AddressTables.MAX_NEW_REFERENCES) {
      return false;
    }
    assert entry.newReferenceCount > 0 : "a known entry outside tried is in a new bucket: " + entry;
    return random.nextInt(1 << entry.newReferenceCount) == 0;
  }

  /**
   * Puts the entry in its slot of {@code bucket}. A slot held by another entry is taken over only
   * if that one is terrible, or is also in other buckets while this one is in none; an entry left
   * in no bucket is forgotten.
   */
  private boolean placeInNew(Entry entry, int bucket) {
    Entry occupant = tables.newOccupant(bucket, entry.address);
    if (occupant == entry) {
      return false;
    }
    boolean takeOver = occupant == null || occupant.isTerrible(now())
        || (occupant.newReferenceCount > 1 && entry.newReferenceCount == 0);
    if (!takeOver) {
      if (entry.newReferenceCount == 0) {
        tables.delete(entry);
      }
      return false;
    }
    if (occupant != null) {
      tables.clearNew(bucket, entry.address);
    }
    tables.placeNew(entry, bucket);
    return true;
  }

  private boolean good(PeerAddress address, boolean testBeforeEvict, long now) {
    lastGoodSeconds = now;
    Entry entry = tables.find(address);
    if (entry == null) {
      return false;
    }
    entry.lastSuccessSeconds = now;
    entry.lastTrySeconds = now;
    entry.attempts = 0;
    // The entry's time is not updated: it is gossiped, and would tell who our peers are.
    if (entry.inTried) {
      return false;
    }
    if (testBeforeEvict && tables.triedOccupant(address) != null) {
      if (triedCollisions.size() < MAX_TRIED_COLLISIONS && !triedCollisions.contains(address)) {
        triedCollisions.add(address);
      }
      return false;
    }
    tables.makeTried(entry);
    return true;
  }

  /** Whether the collision of {@code candidate} is settled (and so leaves the collisions). */
  private boolean resolveCollision(PeerAddress candidate, long now) {
    Entry newcomer = tables.find(candidate);
    if (newcomer == null) {
      return true;
    }
    Entry old = tables.triedOccupant(candidate);
    if (old == null) {
      good(candidate, false, now);
      return true;
    }
    if (now - old.lastSuccessSeconds < REPLACEMENT_SECONDS) {
      return true;
    }
    if (now - old.lastTrySeconds < REPLACEMENT_SECONDS) {
      if (now - old.lastTrySeconds <= COLLISION_TEST_GRACE_SECONDS) {
        return false;
      }
      good(candidate, false, now);
      return true;
    }
    if (now - newcomer.lastSuccessSeconds > COLLISION_TEST_WINDOW_SECONDS) {
      good(candidate, false, now);
      return true;
    }
    return false;
  }

  private Optional<KnownAddress> select(boolean newOnly, Predicate<Entry> wanted, long now) {
    int[] newBuckets = tables.table(false).bucketsHolding(wanted);
    int[] triedBuckets = newOnly ? new int[0] : tables.table(true).bucketsHolding(wanted);
    if (newBuckets.length == 0 && triedBuckets.length == 0) {
      return Optional.empty();
    }
    boolean fromTried = newBuckets.length == 0 || (triedBuckets.length > 0 && random.nextBoolean());
    BucketGrid table = tables.table(fromTried);
    int[] buckets = fromTried ? triedBuckets : newBuckets;
    double chanceFactor = 1.0;
    for (int draw = 0; draw <= MAX_SELECT_DRAWS; draw++) {
      int bucket = buckets[random.nextInt(buckets.length)];
      Entry entry = table.firstFrom(bucket, random.nextInt(AddressTables.BUCKET_SIZE), wanted);
      if (random.nextInt(1 << 30) < chanceFactor * entry.chance(now) * (1 << 30)) {
        return Optional.of(entry.known());
      }
      chanceFactor *= CHANCE_GROWTH;
    }
    throw new AssertionError("after " + MAX_SELECT_DRAWS + " draws every entry's chance is 1");
  }

  private static int drawsUntilCertain() {
    int draws = 0;
    for (double factor = 1.0; factor * Entry.MIN_CHANCE < 1.0; factor *= CHANCE_GROWTH) {
      draws++;
    }
    return draws;
  }
}
