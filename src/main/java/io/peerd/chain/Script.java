package io.peerd.chain;

import io.peerd.wire.ByteWriter;
import java.util.Arrays;

/** The few script encodings consensus checks here need: pushes and script numbers (CScriptNum). */
public final class Script {
  public static final int OP_0 = 0x00;
  public static final int OP_PUSHDATA1 = 0x4c;
  public static final int OP_PUSHDATA2 = 0x4d;
  public static final int OP_1NEGATE = 0x4f;
  public static final int OP_1 = 0x51;
  public static final int OP_RETURN = 0x6a;
  public static final int OP_CHECKSIG = 0xac;

  private Script() {}

  /** Minimal little-endian sign-magnitude encoding of a number, as CScriptNum serializes it. */
  public static byte[] encodeNumber(long value) {
    if (value == 0) {
      return new byte[0];
    }
    boolean negative = value < 0;
    long magnitude = Math.abs(value);
    byte[] buffer = new byte[9];
    int length = 0;
    while (magnitude > 0) {
      buffer[length++] = (byte) (magnitude & 0xff);
      magnitude >>>= 8;
    }
    if ((buffer[length - 1] & 0x80) != 0) {
      buffer[length++] = (byte) (negative ? 0x80 : 0);
    } else if (negative) {
      buffer[length - 1] |= (byte) 0x80;
    }
    return Arrays.copyOf(buffer, length);
  }

  /** The bytes BIP34 requires a coinbase script to start with: a push of the height. */
  public static byte[] heightPush(int height) {
    return new Builder().pushNumber(height).build();
  }

  /** Appends opcodes and pushes, choosing the encodings Core's CScript uses. */
  public static final class Builder {
    private final ByteWriter writer = new ByteWriter(64);

    public Builder op(int opcode) {
      writer.writeU8(opcode);
      return this;
    }

    /** Small numbers become OP_0..OP_16 / OP_1NEGATE; others a push of their CScriptNum bytes. */
    public Builder pushNumber(long value) {
      if (value == -1 || (value >= 1 && value <= 16)) {
        return op((int) (value + (OP_1 - 1)));
      }
      if (value == 0) {
        return op(OP_0);
      }
      return pushData(encodeNumber(value));
    }

    public Builder pushData(byte[] data) {
      if (data.length < OP_PUSHDATA1) {
        writer.writeU8(data.length);
      } else if (data.length <= 0xff) {
        writer.writeU8(OP_PUSHDATA1).writeU8(data.length);
      } else {
        writer.writeU8(OP_PUSHDATA2).writeU16(data.length);
      }
      writer.writeBytes(data);
      return this;
    }

    public byte[] build() {
      return writer.toByteArray();
    }
  }

}
