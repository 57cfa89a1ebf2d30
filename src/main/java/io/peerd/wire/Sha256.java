package io.peerd.wire;

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
    return digest.digest(digest.digest());
  }

  public static byte[] doubleHash(byte[] data) {
    return doubleHash(data, 0, data.length);
  }

  /** Finishes a double hash whose first pass was fed into {@code digest}. */
  public static byte[] finishDouble(MessageDigest digest) {
    return digest.digest(digest.digest());
  }
}
