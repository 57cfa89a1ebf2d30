package io.peerd.chain;

import io.peerd.wire.Hash;
import java.math.BigInteger;

/**
 * Proof-of-work arithmetic: the compact "nBits" target encoding, target checks and chain work.
 * The hot check ({@link #meetsTarget}) compares bytes without building big integers.
 */
public final class ProofOfWork {
  private static final BigInteger TWO_TO_256 = BigInteger.ONE.shiftLeft(256);

  private ProofOfWork() {}

  /**
   * Decodes compact bits into a target, or empty if the encoding is negative, zero or
   * overflows 256 bits (all of which Bitcoin Core refuses for proof of work).
   */
  public static java.util.Optional<BigInteger> decodeCompact(int bits) {
    int size = bits >>> 24;
    long word = bits & 0x007fffffL;
    boolean negative = word != 0 && (bits & 0x00800000) != 0;
    boolean overflow = word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
    if (negative || overflow) {
      return java.util.Optional.empty();
    }
    BigInteger target = size <= 3
        ? BigInteger.valueOf(word >>> (8 * (3 - size)))
        : BigInteger.valueOf(word).shiftLeft(8 * (size - 3));
    return target.signum() == 0 ? java.util.Optional.empty() : java.util.Optional.of(target);
  }

  /** The target a valid {@code bits} stands for; throws for encodings {@link #decodeCompact} refuses. */
  public static BigInteger target(int bits) {
    return decodeCompact(bits).orElseThrow(
        () -> new IllegalArgumentException("bits " + Integer.toHexString(bits) + " encode no valid target"));
  }

  /** Encodes a non-negative target as compact bits (rounding down, as Core's GetCompact does). */
  public static int encodeCompact(BigInteger target) {
    if (target.signum() < 0) {
      throw new IllegalArgumentException("negative target");
    }
    int size = (target.bitLength() + 7) / 8;
    long compact = size <= 3
        ? target.longValue() << (8 * (3 - size))
        : target.shiftRight(8 * (size - 3)).longValue();
    if ((compact & 0x00800000L) != 0) {
      compact >>>= 8;
      size++;
    }
    return (int) (compact | ((long) size << 24));
  }

  /** The last {@link #work} computed: bits change once per retarget period, so it nearly always hits. */
  private record CachedWork(int bits, BigInteger work) {}

  private static volatile CachedWork lastWork;

  /** Expected number of hashes to find a block at this target: 2^256 / (target + 1). */
  public static BigInteger work(int bits) {
    CachedWork cached = lastWork;
    if (cached != null && cached.bits() == bits) {
      return cached.work();
    }
    BigInteger work = decodeCompact(bits).map(t -> TWO_TO_256.divide(t.add(BigInteger.ONE))).orElse(BigInteger.ZERO);
    lastWork = new CachedWork(bits, work);
    return work;
  }

  /**
   * True if {@code bits} decodes to a target in (0, powLimit] and the hash, read as a
   * little-endian number, is at most that target.
   */
  public static boolean check(Hash hash, int bits, BigInteger powLimit) {
    CachedTarget cached = lastTarget;
    if (cached == null || cached.bits() != bits || !cached.powLimit().equals(powLimit)) {
      cached = new CachedTarget(bits, powLimit, decodeCompact(bits)
          .filter(target -> target.compareTo(powLimit) <= 0).map(ProofOfWork::targetBytes).orElse(null));
      lastTarget = cached;
    }
    return cached.bigEndian() != null && meetsTarget(hash, cached.bigEndian());
  }

  /**
   * The last target {@link #check} decoded, as {@link #meetsTarget} compares it (never written
   * to); null if {@code bits} is no valid target under {@code powLimit}. One per retarget period.
   */
  private record CachedTarget(int bits, BigInteger powLimit, byte[] bigEndian) {}

  private static volatile CachedTarget lastTarget;

  /** The target as 32 big-endian bytes, the form {@link #meetsTarget} compares against. */
  public static byte[] targetBytes(BigInteger target) {
    byte[] raw = target.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  /** Compares the hash (wire order = little-endian) with a big-endian target, most significant byte first. */
  public static boolean meetsTarget(Hash hash, byte[] targetBigEndian) {
    for (int i = 0; i < 32; i++) {
      int hashByte = hash.byteAt(31 - i) & 0xff;
      int targetByte = targetBigEndian[i] & 0xff;
      if (hashByte != targetByte) {
        return hashByte < targetByte;
      }
    }
    return true;
  }
}
