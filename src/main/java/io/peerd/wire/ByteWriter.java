package io.peerd.wire;

import java.util.Arrays;

/** Appends little-endian Bitcoin fields to a growing byte array. */
public final class ByteWriter {
  private byte[] buffer;
  private int size;

  public ByteWriter() {
    this(256);
  }

  public ByteWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
    }
  }

  public ByteWriter writeU8(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
    return this;
  }

  public ByteWriter writeU16(int value) {
    ensure(2);
    buffer[size++] = (byte) value;
    buffer[size++] = (byte) (value >>> 8);
    return this;
  }

  public ByteWriter writeU16BigEndian(int value) {
    ensure(2);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
    return this;
  }

  public ByteWriter writeI32(int value) {
    ensure(4);
    buffer[size++] = (byte) value;
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) (value >>> 16);
    buffer[size++] = (byte) (value >>> 24);
    return this;
  }

  public ByteWriter writeU32(long value) {
    return writeI32((int) value);
  }

  public ByteWriter writeI64(long value) {
    writeI32((int) value);
    return writeI32((int) (value >>> 32));
  }

  public ByteWriter writeBoolean(boolean value) {
    return writeU8(value ? 1 : 0);
  }

  public ByteWriter writeVarInt(long value) {
    if (Long.compareUnsigned(value, 0xfd) < 0) {
      return writeU8((int) value);
    } else if (Long.compareUnsigned(value, 0xffff) <= 0) {
      writeU8(0xfd);
      return writeU16((int) value);
    } else if (Long.compareUnsigned(value, 0xffffffffL) <= 0) {
      writeU8(0xfe);
      return writeU32(value);
    } else {
      writeU8(0xff);
      return writeI64(value);
    }
  }

  public static int varIntSize(long value) {
    if (Long.compareUnsigned(value, 0xfd) < 0) {
      return 1;
    } else if (Long.compareUnsigned(value, 0xffff) <= 0) {
      return 3;
    } else if (Long.compareUnsigned(value, 0xffffffffL) <= 0) {
      return 5;
    }
    return 9;
  }

  public ByteWriter writeBytes(byte[] bytes) {
    return writeBytes(bytes, 0, bytes.length);
  }

  public ByteWriter writeBytes(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, size, length);
    size += length;
    return this;
  }

  public ByteWriter writeVarBytes(byte[] bytes) {
    writeVarInt(bytes.length);
    return writeBytes(bytes);
  }

  public ByteWriter writeVarBytes(ByteSlice bytes) {
    writeVarInt(bytes.length());
    bytes.writeTo(this);
    return this;
  }

  public ByteWriter writeHash(Hash hash) {
    ensure(Hash.SIZE_BYTES);
    hash.copyTo(buffer, size);
    size += Hash.SIZE_BYTES;
    return this;
  }

  public int size() {
    return size;
  }

  /** The bytes written so far, copied to an exactly-sized array. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }
}
