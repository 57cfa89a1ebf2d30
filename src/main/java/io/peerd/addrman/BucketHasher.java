package io.peerd.addrman;

import io.peerd.wire.Sha256;
import java.security.MessageDigest;

/**
 * Where an address goes in the tables, from the node's secret key (Bitcoin Core's
 * {@code GetNewBucket}, {@code GetTriedBucket} and {@code GetBucketPosition}). The key makes the
 * placement unpredictable to others, so nobody can craft addresses that all land in the slots
 * of the addresses they want to push out. Each hash is the first 8 bytes of a double SHA-256 of
 * the key and the inputs (Core's "cheap hash"), read as an unsigned little-endian number.
 *
 * <ul>
 *   <li>A new bucket depends on the address's group and its source's group, through one of 64
 *       buckets per source group: one source group reaches at most 64 of the 1,024 new buckets.
 *   <li>A tried bucket depends on the address's group, through one of 8 buckets per group: one
 *       group reaches at most 8 of the 256 tried buckets.
 *   <li>The slot in a bucket depends on the table, the bucket and the whole address.
 * </ul>
 */
final class BucketHasher {
  static final int KEY_BYTES = 32;
  /** Core's ADDRMAN_NEW_BUCKETS_PER_SOURCE_GROUP. */
  static final int NEW_BUCKETS_PER_SOURCE_GROUP = 64;
  /** Core's ADDRMAN_TRIED_BUCKETS_PER_GROUP. */
  static final int TRIED_BUCKETS_PER_GROUP = 8;
  private static final byte NEW_TABLE_TAG = 'N';
  private static final byte TRIED_TABLE_TAG = 'K';

  private final byte[] key;

  BucketHasher(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the bucket key has " + KEY_BYTES + " bytes, not " + key.length);
    }
    this.key = key.clone();
  }

  byte[] key() {
    return key.clone();
  }

  int newBucket(PeerAddress address, Host source) {
    byte[] sourceGroup = NetworkGroup.of(source).bytes();
    MessageDigest first = start();
    putGroup(first, NetworkGroup.of(address.host()).bytes());
    putGroup(first, sourceGroup);
    long spread = Long.remainderUnsigned(finish(first), NEW_BUCKETS_PER_SOURCE_GROUP);
    MessageDigest second = start();
    putGroup(second, sourceGroup);
    putLong(second, spread);
    return (int) Long.remainderUnsigned(finish(second), AddressTables.NEW_BUCKET_COUNT);
  }

  int triedBucket(PeerAddress address) {
    MessageDigest first = start();
    putAddress(first, address);
    long spread = Long.remainderUnsigned(finish(first), TRIED_BUCKETS_PER_GROUP);
    MessageDigest second = start();
    putGroup(second, NetworkGroup.of(address.host()).bytes());
    putLong(second, spread);
    return (int) Long.remainderUnsigned(finish(second), AddressTables.TRIED_BUCKET_COUNT);
  }

  int slot(boolean inNew, int bucket, PeerAddress address) {
    MessageDigest digest = start();
    digest.update(inNew ? NEW_TABLE_TAG : TRIED_TABLE_TAG);
    putLong(digest, bucket);
    putAddress(digest, address);
    return (int) Long.remainderUnsigned(finish(digest), AddressTables.BUCKET_SIZE);
  }

  private MessageDigest start() {
    MessageDigest digest = Sha256.digest();
    digest.update(key);
    return digest;
  }

  private static long finish(MessageDigest digest) {
    byte[] hash = Sha256.finishDouble(digest);
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = value << 8 | (hash[i] & 0xff);
    }
    return value;
  }

  /** A group with its length first, so two groups in a row cannot be split two ways. */
  private static void putGroup(MessageDigest digest, byte[] group) {
    digest.update((byte) group.length);
    digest.update(group);
  }

  private static void putAddress(MessageDigest digest, PeerAddress address) {
    digest.update((byte) address.network().bip155Id());
    digest.update(address.host().bytes());
    digest.update((byte) (address.port() >>> 8));
    digest.update((byte) address.port());
  }

  private static void putLong(MessageDigest digest, long value) {
    for (int i = 0; i < Long.BYTES; i++) {
      digest.update((byte) (value >>> (8 * i)));
    }
  }
}
