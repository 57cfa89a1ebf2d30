package io.peerd.wire;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 helpers. Digests are per thread: MessageDigest is not thread-safe and costly to create. */
public final class Sha256 {
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  /** The calling thread's digest, reset. Do not keep it across calls into other code. */
  public static MessageDigest digest() {
    MessageDigest digest = DIGEST.get();
    digest.reset();
    return digest;
  }

  public static byte[] hash(byte[] data, int offset, int length) {
    MessageDigest digest = digest();
    digest.update(data, offset, length);
    return digest.digest();
  }

  /** SHA-256(SHA-256(data[offset, offset+length))), the hash Bitcoin uses for ids and checksums. */
  public static byte[] doubleHash(byte[] data, int offset, int length) {
    MessageDigest digest = digest();
    digest.update(data, offset, length);
    return finishDouble(digest);
  }

  /**
   * Writes the double hash of {@code data[offset, offset+length)} to {@code out[outOffset,
   * outOffset+32)}, which may overlap the input (a merkle tree hashes each level in place).
   */
  public static void doubleHash(byte[] data, int offset, int length, byte[] out, int outOffset) {
    MessageDigest digest = digest();
    digest.update(data, offset, length);
    finishDouble(digest, out, outOffset);
  }

  public static byte[] doubleHash(byte[] data) {
    return doubleHash(data, 0, data.length);
  }

  /** Finishes a double hash whose first pass was fed into {@code digest}. */
  public static byte[] finishDouble(MessageDigest digest) {
    byte[] out = new byte[Hash.SIZE_BYTES];
    finishDouble(digest, out, 0);
    return out;
  }

  /** Finishes a double hash into {@code out} without allocating: ids are hashed by the thousand. */
  public static void finishDouble(MessageDigest digest, byte[] out, int outOffset) {
    try {
      digest.digest(out, outOffset, Hash.SIZE_BYTES);
      digest.update(out, outOffset, Hash.SIZE_BYTES);
      digest.digest(out, outOffset, Hash.SIZE_BYTES);
    } catch (DigestException e) {
      throw new IllegalStateException("32 bytes always hold a SHA-256 digest", e);
    }
  }
}
