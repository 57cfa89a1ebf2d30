package io.peerd.chain;

import io.peerd.wire.Hash;
import io.peerd.wire.Sha256;
import java.security.MessageDigest;
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
    byte[][] level = new byte[leaves.size()][];
    for (int i = 0; i < level.length; i++) {
      level[i] = leaves.get(i).toByteArray();
    }
    boolean mutated = false;
    int count = level.length;
    MessageDigest digest = Sha256.digest();
    while (count > 1) {
      for (int i = 0; i + 1 < count; i += 2) {
        mutated |= java.util.Arrays.equals(level[i], level[i + 1]);
      }
      int next = 0;
      for (int i = 0; i < count; i += 2) {
        byte[] right = i + 1 < count ? level[i + 1] : level[i];
        digest.update(level[i]);
        digest.update(right);
        level[next++] = Sha256.finishDouble(digest);
      }
      count = next;
    }
    return new Root(Hash.wrap(level[0]), mutated);
  }
}
