package io.peerd.chain;

import io.peerd.wire.Hash;
import io.peerd.wire.Sha256;
import java.util.Arrays;
import java.util.List;

/** Bitcoin's merkle root, with detection of the duplicate-subtree mutation (CVE-2012-2459). */
public final class MerkleTree {
  /**
   * @param mutated true if two identical adjacent hashes were combined anywhere other than the
   *     odd last entry's self-pairing: another transaction list has the same root, so the block
   *     must not be marked invalid for its header's sake, only refused.
   */
  public record Root(Hash root, boolean mutated) {}

  private MerkleTree() {}

  public static Root compute(List<Hash> leaves) {
    if (leaves.isEmpty()) {
      return new Root(Hash.ZERO, false);
    }
    // One flat array, hashed level by level in place, with room to duplicate an odd last entry:
    // each pair is then one contiguous 64-byte range, and no node allocates.
    byte[] level = new byte[(leaves.size() + 1) * Hash.SIZE_BYTES];
    for (int i = 0; i < leaves.size(); i++) {
      leaves.get(i).copyTo(level, i * Hash.SIZE_BYTES);
    }
    boolean mutated = false;
    int count = leaves.size();
    while (count > 1) {
      mutated |= hasEqualPair(level, count);
      if (count % 2 == 1) {
        System.arraycopy(level, (count - 1) * Hash.SIZE_BYTES, level, count * Hash.SIZE_BYTES, Hash.SIZE_BYTES);
        count++;
      }
      for (int i = 0; i < count; i += 2) {
        Sha256.doubleHash(level, i * Hash.SIZE_BYTES, 2 * Hash.SIZE_BYTES, level, i / 2 * Hash.SIZE_BYTES);
      }
      count /= 2;
    }
    return new Root(Hash.wrap(level, 0), mutated);
  }

  /** Whether entries 2k and 2k+1 are equal for some k (an odd last entry has no partner yet). */
  private static boolean hasEqualPair(byte[] level, int count) {
    for (int i = 0; i + 1 < count; i += 2) {
      int left = i * Hash.SIZE_BYTES;
      int right = left + Hash.SIZE_BYTES;
      if (Arrays.equals(level, left, right, level, right, right + Hash.SIZE_BYTES)) {
        return true;
      }
    }
    return false;
  }
}
