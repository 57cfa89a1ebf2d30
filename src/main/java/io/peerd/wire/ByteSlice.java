package io.peerd.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable byte string that may be a range of a larger array: a decoded transaction's scripts
 * and witness items are views into the received bytes rather than arrays of their own (a block
 * holds about ten thousand of them). Views are made only by {@link ByteReader}, whose arrays are
 * never modified once decoded; everything else gets a copy.
 */
public final class ByteSlice {
  private final byte[] bytes;
  private final int offset;
  private final int length;

  private ByteSlice(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  public static ByteSlice copyOf(byte[] bytes) {
    return new ByteSlice(bytes.clone(), 0, bytes.length);
  }

  /** A view of {@code bytes[offset, offset+length)}; the caller must never modify that range. */
  static ByteSlice view(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return new ByteSlice(bytes, offset, length);
  }

  public int length() {
    return length;
  }

  /** The byte at {@code index} as 0..255, as script opcodes are read. */
  public int unsignedByteAt(int index) {
    Objects.checkIndex(index, length);
    return bytes[offset + index] & 0xff;
  }

  /** Whether {@code expected} occurs at {@code index}; false if it would run past the end. */
  public boolean matchesAt(int index, byte[] expected) {
    return index >= 0 && expected.length <= length - index
        && Arrays.equals(bytes, offset + index, offset + index + expected.length, expected, 0, expected.length);
  }

  public byte[] copyOfRange(int from, int to) {
    Objects.checkFromToIndex(from, to, length);
    return Arrays.copyOfRange(bytes, offset + from, offset + to);
  }

  public byte[] toByteArray() {
    return copyOfRange(0, length);
  }

  void writeTo(ByteWriter writer) {
    writer.writeBytes(bytes, offset, length);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes, offset, offset + length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteSlice that
        && Arrays.equals(bytes, offset, offset + length, that.bytes, that.offset, that.offset + that.length);
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + bytes[i];
    }
    return hash;
  }

  @Override
  public String toString() {
    return toHex();
  }
}
