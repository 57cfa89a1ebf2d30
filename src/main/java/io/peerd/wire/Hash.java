package io.peerd.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 32-byte hash (block hash, txid, merkle root) in wire byte order. Bitcoin displays hashes
 * byte-reversed; {@link #toString()} and {@link #fromHex(String)} use that display order.
 * Immutable.
 */
public final class Hash implements Comparable<Hash> {
  public static final int SIZE_BYTES = 32;
  public static final Hash ZERO = new Hash(new byte[SIZE_BYTES]);

  private final byte[] bytes;
  private final int hashCode;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
    this.hashCode = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 | (bytes[2] & 0xff) << 16 | (bytes[3] & 0xff) << 24;
  }

  /** Wraps a copy of 32 bytes in wire (internal) order. */
  public static Hash wrap(byte[] wireOrder) {
    return wrap(wireOrder, 0);
  }

  /** Wraps a copy of {@code source[offset, offset + 32)}, which must lie inside {@code source}. */
  public static Hash wrap(byte[] source, int offset) {
    // copyOfRange would silently pad a short array with zeros and yield a wrong hash.
    Objects.checkFromIndexSize(offset, SIZE_BYTES, source.length);
    return new Hash(Arrays.copyOfRange(source, offset, offset + SIZE_BYTES));
  }

  /** Takes ownership of {@code wireOrder}; the caller must not modify it afterwards. */
  static Hash own(byte[] wireOrder) {
    if (wireOrder.length != SIZE_BYTES) {
      throw new IllegalArgumentException("hash must be 32 bytes, got " + wireOrder.length);
    }
    return new Hash(wireOrder);
  }

  /** Double SHA-256 of a byte range. */
  public static Hash of(byte[] data, int offset, int length) {
    return new Hash(Sha256.doubleHash(data, offset, length));
  }

  public static Hash of(byte[] data) {
    return of(data, 0, data.length);
  }

  /** Parses the display (byte-reversed) hex form, as block explorers and RPC show hashes. */
  public static Hash fromHex(String displayHex) {
    byte[] parsed = HexFormat.of().parseHex(displayHex);
    if (parsed.length != SIZE_BYTES) {
      throw new IllegalArgumentException("hash hex must be 64 characters: " + displayHex);
    }
    return new Hash(reversed(parsed));
  }

  /** A copy of the bytes in wire order. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, SIZE_BYTES);
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  public boolean isZero() {
    return equals(ZERO);
  }

  /** The hash as an unsigned little-endian 256-bit number, as proof of work compares it. */
  public java.math.BigInteger toBigInteger() {
    return new java.math.BigInteger(1, reversed(bytes));
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(reversed(bytes));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hash that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return hashCode;
  }

  @Override
  public int compareTo(Hash other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  private static byte[] reversed(byte[] in) {
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[in.length - 1 - i];
    }
    return out;
  }
}
