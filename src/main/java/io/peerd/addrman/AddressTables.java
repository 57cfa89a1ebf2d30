package io.peerd.addrman;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The address manager's data: every entry by address, the new and tried tables that place them,
 * a random order of all entries (for getaddr), and counts per table and network. It keeps these
 * consistent through a few primitive moves, and decides nothing: {@link AddressManager} holds
 * the rules.
 *
 * <p>Invariants: an entry is either in tried (one slot, at its tried position) or in 1 to
 * {@link #MAX_NEW_REFERENCES} new buckets (one slot each, at its position in each), and never both
 * (between {@link #create} and its first placement it is in neither, and is placed or deleted before
 * the caller returns). So the number of entries is bounded by the slots: at most {@link #MAX_ENTRIES}.
 */
final class AddressTables {
  /** Core's ADDRMAN_NEW_BUCKET_COUNT. */
  static final int NEW_BUCKET_COUNT = 1024;
  /** Core's ADDRMAN_TRIED_BUCKET_COUNT. */
  static final int TRIED_BUCKET_COUNT = 256;
  /** Core's ADDRMAN_BUCKET_SIZE: slots per bucket, in both tables. */
  static final int BUCKET_SIZE = 64;
  /** Core's ADDRMAN_NEW_BUCKETS_PER_ADDRESS: how many new buckets may hold one address. */
  static final int MAX_NEW_REFERENCES = 8;
  static final int MAX_NEW_ENTRIES = NEW_BUCKET_COUNT * BUCKET_SIZE;
  static final int MAX_TRIED_ENTRIES = TRIED_BUCKET_COUNT * BUCKET_SIZE;
  static final int MAX_ENTRIES = MAX_NEW_ENTRIES + MAX_TRIED_ENTRIES;

  final BucketHasher hasher;
  private final BucketGrid newTable = new BucketGrid(NEW_BUCKET_COUNT);
  private final BucketGrid triedTable = new BucketGrid(TRIED_BUCKET_COUNT);
  /** Every entry by address; at most {@link #MAX_ENTRIES}. */
  private final Map<PeerAddress, Entry> entries = new HashMap<>();
  /** The same entries in an order getaddr shuffles as it reads it; at most {@link #MAX_ENTRIES}. */
  private final List<Entry> randomOrder = new ArrayList<>();
  private final int[] newCounts = new int[Network.values().length];
  private final int[] triedCounts = new int[Network.values().length];

  AddressTables(BucketHasher hasher) {
    this.hasher = hasher;
  }

  Entry find(PeerAddress address) {
    return entries.get(address);
  }

  /** A new entry, in no table yet: the caller places it with {@link #placeNew} or deletes it. */
  Entry create(PeerAddress address, Host source, long services, long timeSeconds) {
    assert !entries.containsKey(address) : address + " is already known";
    assert entries.size() <= MAX_ENTRIES : entries.size() + " entries cannot all hold a slot";
    Entry entry = new Entry(address, source, services, timeSeconds);
    entries.put(address, entry);
    entry.randomPosition = randomOrder.size();
    randomOrder.add(entry);
    return entry;
  }

  /** Forgets an entry that no table holds. */
  void delete(Entry entry) {
    assert !entry.inTried && entry.newReferenceCount == 0 : "deleting " + entry + " still placed";
    swapRandom(entry.randomPosition, randomOrder.size() - 1);
    randomOrder.removeLast();
    entries.remove(entry.address);
  }

  /** The entry in {@code address}'s slot of a new bucket, or null. */
  Entry newOccupant(int bucket, PeerAddress address) {
    return newTable.get(bucket, hasher.slot(true, bucket, address));
  }

  /** The entry in {@code address}'s tried slot, or null. */
  Entry triedOccupant(PeerAddress address) {
    int bucket = hasher.triedBucket(address);
    return triedTable.get(bucket, hasher.slot(false, bucket, address));
  }

  /** Puts the entry in its slot of a new bucket, which must be empty. */
  void placeNew(Entry entry, int bucket) {
    assert !entry.inTried && entry.newReferenceCount < MAX_NEW_REFERENCES : "cannot add a reference to " + entry;
    newTable.put(bucket, hasher.slot(true, bucket, entry.address), entry);
    entry.newBuckets[entry.newReferenceCount++] = bucket;
    if (entry.newReferenceCount == 1) {
      newCounts[entry.network().ordinal()]++;
    }
  }

  /** Takes the entry in {@code address}'s slot of a new bucket out of it; an entry left in no bucket is forgotten. */
  void clearNew(int bucket, PeerAddress address) {
    Entry entry = newTable.clear(bucket, hasher.slot(true, bucket, address));
    dropReference(entry, bucket);
    if (entry.newReferenceCount == 0) {
      delete(entry);
    }
  }

  /** Puts the entry in its tried slot, which must be empty. */
  void placeTried(Entry entry) {
    assert !entry.inTried && entry.newReferenceCount == 0 : entry + " is still placed";
    int bucket = hasher.triedBucket(entry.address);
    triedTable.put(bucket, hasher.slot(false, bucket, entry.address), entry);
    entry.inTried = true;
    triedCounts[entry.network().ordinal()]++;
  }

  /**
   * Moves an entry from its new buckets to its tried slot. An entry already there goes back to
   * the new table, to the slot its own source picks, pushing out whatever was there (Core's
   * {@code MakeTried}).
   */
  void makeTried(Entry entry) {
    while (entry.newReferenceCount > 0) {
      int bucket = entry.newBuckets[entry.newReferenceCount - 1];
      newTable.clear(bucket, hasher.slot(true, bucket, entry.address));
      dropReference(entry, bucket);
    }
    Entry evicted = triedOccupant(entry.address);
    if (evicted != null) {
      int triedBucket = hasher.triedBucket(evicted.address);
      triedTable.clear(triedBucket, hasher.slot(false, triedBucket, evicted.address));
      evicted.inTried = false;
      triedCounts[evicted.network().ordinal()]--;
      int newBucket = hasher.newBucket(evicted.address, evicted.source);
      if (newOccupant(newBucket, evicted.address) != null) {
        clearNew(newBucket, evicted.address);
      }
      placeNew(evicted, newBucket);
    }
    placeTried(entry);
  }

  int size() {
    return entries.size();
  }

  /** Every entry, for saving; read-only. */
  Collection<Entry> entries() {
    return Collections.unmodifiableCollection(entries.values());
  }

  int count(boolean tried, Network network) {
    return (tried ? triedCounts : newCounts)[network.ordinal()];
  }

  BucketGrid table(boolean tried) {
    return tried ? triedTable : newTable;
  }

  Entry randomAt(int position) {
    return randomOrder.get(position);
  }

  void swapRandom(int first, int second) {
    Entry a = randomOrder.get(first);
    Entry b = randomOrder.get(second);
    randomOrder.set(first, b);
    randomOrder.set(second, a);
    a.randomPosition = second;
    b.randomPosition = first;
  }

  private void dropReference(Entry entry, int bucket) {
    int index = 0;
    while (entry.newBuckets[index] != bucket) {
      index++;
    }
    entry.newBuckets[index] = entry.newBuckets[--entry.newReferenceCount];
    if (entry.newReferenceCount == 0) {
      newCounts[entry.network().ordinal()]--;
    }
  }
}
