package io.peerd.chain;

import io.peerd.wire.ByteSlice;
import io.peerd.wire.ByteWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little of scripts the consensus checks here need: pushes, script numbers (CScriptNum) and
 * the legacy sigop count.
 */
public final class Script {
  public static final int OP_0 = 0x00;
  public static final int OP_PUSHDATA1 = 0x4c;
  public static final int OP_PUSHDATA2 = 0x4d;
  public static final int OP_PUSHDATA4 = 0x4e;
  public static final int OP_1NEGATE = 0x4f;
  public static final int OP_1 = 0x51;
  public static final int OP_RETURN = 0x6a;
  public static final int OP_CHECKSIG = 0xac;
  public static final int OP_CHECKSIGVERIFY = 0xad;
  public static final int OP_CHECKMULTISIG = 0xae;
  public static final int OP_CHECKMULTISIGVERIFY = 0xaf;
  /** The legacy count charges a multisig its largest key count (Core's MAX_PUBKEYS_PER_MULTISIG). */
  private static final int LEGACY_MULTISIG_SIGOPS = 20;

  private Script() {}

  /**
   * Core's legacy, inaccurate sigop count (GetSigOpCount(false)): 1 per OP_CHECKSIG(VERIFY), 20
   * per OP_CHECKMULTISIG(VERIFY), push data skipped. A push running past the end stops the count
   * there, as in Core: consensus counts what a truncated script holds up to that point.
   */
  public static int legacySigOpCount(ByteSlice script) {
    int sigOps = 0;
    int position = 0;
    while (position < script.length()) {
      int opcode = script.unsignedByteAt(position++);
      if (opcode <= OP_PUSHDATA4) {
        position = afterPushData(script, opcode, position);
        if (position < 0) {
          break;
        }
      } else if (opcode == OP_CHECKSIG || opcode == OP_CHECKSIGVERIFY) {
        sigOps++;
      } else if (opcode == OP_CHECKMULTISIG || opcode == OP_CHECKMULTISIGVERIFY) {
        sigOps += LEGACY_MULTISIG_SIGOPS;
      }
    }
    return sigOps;
  }

  /** One operation: its opcode, and the data it pushes (empty for an opcode that pushes none). */
  public record Op(int opcode, byte[] data) {
    public boolean isPush() {
      return opcode <= OP_PUSHDATA4;
    }
  }

  /** A script's operations as Core's GetOp reads them; {@code complete} is false if a push ran past the end. */
  public record Ops(List<Op> ops, boolean complete) {}

  public static Ops ops(byte[] bytes) {
    ByteSlice script = ByteSlice.copyOf(bytes);
    List<Op> ops = new ArrayList<>();
    int position = 0;
    while (position < script.length()) {
      int opcode = script.unsignedByteAt(position++);
      if (opcode > OP_PUSHDATA4) {
        ops.add(new Op(opcode, new byte[0]));
        continue;
      }
      int end = afterPushData(script, opcode, position);
      if (end < 0) {
        return new Ops(ops, false);
      }
      int lengthFieldBytes = opcode < OP_PUSHDATA1 ? 0 : opcode == OP_PUSHDATA1 ? 1 : opcode == OP_PUSHDATA2 ? 2 : 4;
      ops.add(new Op(opcode, script.copyOfRange(position + lengthFieldBytes, end)));
      position = end;
    }
    return new Ops(ops, true);
  }

  /**
   * Where the data of push {@code opcode} ends, its length field (if any) starting at
   * {@code position}; -1 if the length field or the data runs past the end of {@code script}.
   */
  private static int afterPushData(ByteSlice script, int opcode, int position) {
    int lengthFieldBytes = switch (opcode) {
      case OP_PUSHDATA1 -> 1;
      case OP_PUSHDATA2 -> 2;
      case OP_PUSHDATA4 -> 4;
      default -> 0;
    };
    if (script.length() - position < lengthFieldBytes) {
      return -1;
    }
    long dataBytes = lengthFieldBytes == 0 ? opcode : unsignedLittleEndian(script, position, lengthFieldBytes);
    assert dataBytes >= 0 : "a push length is unsigned, so the walk only moves forward";
    long end = position + lengthFieldBytes + dataBytes;
    return end <= script.length() ? (int) end : -1;
  }

  private static long unsignedLittleEndian(ByteSlice bytes, int offset, int length) {
    long value = 0;
    for (int i = length - 1; i >= 0; i--) {
      value = value << 8 | bytes.unsignedByteAt(offset + i);
    }
    return value;
  }

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
