package io.peerd.addrman;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * One table: a fixed number of buckets of {@link AddressTables#BUCKET_SIZE} slots, each empty or
 * holding an entry. Its size never changes: the new table is 1,024 x 64 slots, the tried table
 * 256 x 64.
 */
final class BucketGrid {
  private final int bucketCount;
  private final Entry[] slots;

  BucketGrid(int bucketCount) {
    this.bucketCount = bucketCount;
    this.slots = new Entry[bucketCount * AddressTables.BUCKET_SIZE];
  }

  /** The entry in a slot, or null if it is empty. */
  Entry get(int bucket, int slot) {
    return slots[index(bucket, slot)];
  }

  void put(int bucket, int slot, Entry entry) {
    int index = index(bucket, slot);
    assert slots[index] == null : "slot " + bucket + "/" + slot + " holds " + slots[index];
    slots[index] = entry;
  }

  /** Empties a slot and returns what it held. */
  Entry clear(int bucket, int slot) {
    int index = index(bucket, slot);
    Entry entry = slots[index];
    assert entry != null : "slot " + bucket + "/" + slot + " is already empty";
    slots[index] = null;
    return entry;
  }

  /** The buckets holding at least one entry that is {@code wanted}, in bucket order. */
  int[] bucketsHolding(Predicate<Entry> wanted) {
    int[] buckets = new int[bucketCount];
    int found = 0;
    for (int bucket = 0; bucket < bucketCount; bucket++) {
      if (holds(bucket, wanted)) {
        buckets[found++] = bucket;
      }
    }
    return Arrays.copyOf(buckets, found);
  }

  /**
   * The first wanted entry at or after {@code startSlot}, wrapping around: Core's walk from a
   * random slot, which favors no slot of the bucket. The bucket must hold one.
   */
  Entry firstFrom(int bucket, int startSlot, Predicate<Entry> wanted) {
    for (int i = 0; i < AddressTables.BUCKET_SIZE; i++) {
      Entry entry = get(bucket, (startSlot + i) % AddressTables.BUCKET_SIZE);
      if (entry != null && wanted.test(entry)) {
        return entry;
      }
    }
    throw new AssertionError("bucket " + bucket + " was found holding a wanted entry");
  }

  private boolean holds(int bucket, Predicate<Entry> wanted) {
    for (int slot = 0; slot < AddressTables.BUCKET_SIZE; slot++) {
      Entry entry = get(bucket, slot);
      if (entry != null && wanted.test(entry)) {
        return true;
      }
    }
    return false;
  }

  private int index(int bucket, int slot) {
    assert bucket >= 0 && bucket < bucketCount && slot >= 0 && slot < AddressTables.BUCKET_SIZE
        : "bucket " + bucket + " slot " + slot;
    return bucket * AddressTables.BUCKET_SIZE + slot;
  }
}
