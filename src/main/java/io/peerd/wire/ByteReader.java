package io.peerd.wire;

import java.util.Arrays;

/**
 * Reads little-endian Bitcoin fields from a byte range. Every read checks the bytes left first,
 * and every count read from the input is checked against what the remaining bytes could hold,
 * so a decoder never allocates more than the input's own size.
 */
public final class ByteReader {
  private final byte[] data;
  private final int limit;
  private int position;

  public ByteReader(byte[] data) {
    this(data, 0, data.length);
  }

  public ByteReader(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + data.length);
    }
    this.data = data;
    this.position = offset;
    this.limit = offset + length;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return limit - position;
  }

  /** The array this reader reads from; with {@link #position()} it lets callers hash raw slices. */
  public byte[] array() {
    return data;
  }

  public boolean hasRemaining() {
    return position < limit;
  }

  private void require(int bytes, String what) throws WireException.Truncated {
    if (bytes > limit - position) {
      throw new WireException.Truncated(what, bytes, limit - position);
    }
  }

  public int readU8(String what) throws WireException.Truncated {
    require(1, what);
    return data[position++] & 0xff;
  }

  public int readI32(String what) throws WireException.Truncated {
    require(4, what);
    int value = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8
        | (data[position + 2] & 0xff) << 16 | (data[position + 3] & 0xff) << 24;
    position += 4;
    return value;
  }

  public long readU32(String what) throws WireException.Truncated {
    return readI32(what) & 0xffffffffL;
  }

  public long readI64(String what) throws WireException.Truncated {
    long low = readU32(what);
    long high = readU32(what);
    return low | high << 32;
  }

  /** A big-endian 16-bit unsigned value: network addresses carry their port this way. */
  public int readU16BigEndian(String what) throws WireException.Truncated {
    require(2, what);
    int value = (data[position] & 0xff) << 8 | (data[position + 1] & 0xff);
    position += 2;
    return value;
  }

  public int readU16(String what) throws WireException.Truncated {
    require(2, what);
    int value = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
    position += 2;
    return value;
  }

  /** A byte that must be 0 or 1: any other value would not re-encode to the same bytes. */
  public boolean readBoolean(String what) throws WireException {
    int value = readU8(what);
    if (value > 1) {
      throw new WireException.Malformed(what + " must be 0 or 1, got " + value);
    }
    return value == 1;
  }

  /** Bitcoin's CompactSize, rejecting non-canonical (longer than needed) encodings as Core does. */
  public long readVarInt(String what) throws WireException {
    int first = readU8(what);
    if (first < 0xfd) {
      return first;
    }
    long value;
    long minimum;
    if (first == 0xfd) {
      value = readU16(what);
      minimum = 0xfd;
    } else if (first == 0xfe) {
      value = readU32(what);
      minimum = 0x10000;
    } else {
      value = readI64(what);
      minimum = 0x100000000L;
    }
    if (Long.compareUnsigned(value, minimum) < 0) {
      throw new WireException.Malformed("non-canonical compact size for " + what + ": " + Long.toUnsignedString(value));
    }
    return value;
  }

  /**
   * Reads an element count and checks it against {@code maxCount} and against the bytes left:
   * each element needs at least {@code minBytesEach} bytes, so a count that cannot fit is
   * refused before anything is allocated for it.
   */
  public int readCount(String what, long maxCount, int minBytesEach) throws WireException {
    long count = readVarInt(what);
    if (Long.compareUnsigned(count, maxCount) > 0) {
      throw new WireException.LimitExceeded(what, count, maxCount);
    }
    if (minBytesEach > 0 && count > remaining() / minBytesEach) {
      throw new WireException.Truncated(what + " (" + count + " entries)", count * minBytesEach, remaining());
    }
    return (int) count;
  }

  public byte[] readBytes(int length, String what) throws WireException.Truncated {
    require(length, what);
    byte[] out = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return out;
  }

  /** A CompactSize length followed by that many bytes; the length is bounded by {@code maxLength}. */
  public byte[] readVarBytes(String what, int maxLength) throws WireException {
    int length = readCount(what, maxLength, 1);
    return readBytes(length, what);
  }

  /**
   * Like {@link #readVarBytes} but without a copy: a view of this reader's array, which therefore
   * must never be modified after decoding.
   */
  public ByteSlice readVarSlice(String what, int maxLength) throws WireException {
    int length = readCount(what, maxLength, 1);
    require(length, what);
    ByteSlice slice = ByteSlice.view(data, position, length);
    position += length;
    return slice;
  }

  public Hash readHash(String what) throws WireException.Truncated {
    require(Hash.SIZE_BYTES, what);
    Hash hash = Hash.wrap(data, position);
    position += Hash.SIZE_BYTES;
    return hash;
  }

  public void skip(int length, String what) throws WireException.Truncated {
    require(length, what);
    position += length;
  }

  /** Fails unless every byte was consumed: trailing bytes would break byte-identical re-encoding. */
  public void expectEnd(String what) throws WireException.Malformed {
    if (position != limit) {
      throw new WireException.Malformed(what + " has " + (limit - position) + " unexpected trailing bytes");
    }
  }
}
