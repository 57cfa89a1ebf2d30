package io.peerd.chain;

import java.util.HexFormat;
import java.util.Map;

/**
 * A script as Core's ScriptToAsmStr writes it: pushes of up to 4 bytes as script numbers, longer
 * ones as hex, other opcodes by name, {@code [error]} where a push runs past the end. In a
 * scriptSig ({@code decodeSighash}), a push that is a strict-DER signature with a defined sighash
 * type shows that type by name instead of its last byte, e.g. {@code 3044...01} as {@code 3044...[ALL]}.
 */
public final class ScriptAsm {
  private static final String[] NAMES = new String[256];
  private static final Map<Integer, String> SIGHASH_NAMES = Map.of(0x01, "ALL", 0x81, "ALL|ANYONECANPAY",
      0x02, "NONE", 0x82, "NONE|ANYONECANPAY", 0x03, "SINGLE", 0x83, "SINGLE|ANYONECANPAY");
  /** Core's MAX_SCRIPT_SIZE: a longer script is unspendable, and its pushes are not decoded. */
  private static final int MAX_SCRIPT_BYTES = 10_000;
  private static final int MAX_NUMBER_BYTES = 4;

  static {
    String named = "OP_PUSHDATA1 OP_PUSHDATA2 OP_PUSHDATA4 -1 OP_RESERVED 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
        + "OP_NOP OP_VER OP_IF OP_NOTIF OP_VERIF OP_VERNOTIF OP_ELSE OP_ENDIF OP_VERIFY OP_RETURN OP_TOALTSTACK "
        + "OP_FROMALTSTACK OP_2DROP OP_2DUP OP_3DUP OP_2OVER OP_2ROT OP_2SWAP OP_IFDUP OP_DEPTH OP_DROP OP_DUP OP_NIP "
        + "OP_OVER OP_PICK OP_ROLL OP_ROT OP_SWAP OP_TUCK OP_CAT OP_SUBSTR OP_LEFT OP_RIGHT OP_SIZE OP_INVERT OP_AND "
        + "OP_OR OP_XOR OP_EQUAL OP_EQUALVERIFY OP_RESERVED1 OP_RESERVED2 OP_1ADD OP_1SUB OP_2MUL OP_2DIV OP_NEGATE "
        + "OP_ABS OP_NOT OP_0NOTEQUAL OP_ADD OP_SUB OP_MUL OP_DIV OP_MOD OP_LSHIFT OP_RSHIFT OP_BOOLAND OP_BOOLOR "
        + "OP_NUMEQUAL OP_NUMEQUALVERIFY OP_NUMNOTEQUAL OP_LESSTHAN OP_GREATERTHAN OP_LESSTHANOREQUAL "
        + "OP_GREATERTHANOREQUAL OP_MIN OP_MAX OP_WITHIN OP_RIPEMD160 OP_SHA1 OP_SHA256 OP_HASH160 OP_HASH256 "
        + "OP_CODESEPARATOR OP_CHECKSIG OP_CHECKSIGVERIFY OP_CHECKMULTISIG OP_CHECKMULTISIGVERIFY OP_NOP1 "
        + "OP_CHECKLOCKTIMEVERIFY OP_CHECKSEQUENCEVERIFY OP_NOP4 OP_NOP5 OP_NOP6 OP_NOP7 OP_NOP8 OP_NOP9 OP_NOP10 "
        + "OP_CHECKSIGADD";
    String[] names = named.split(" ");
    System.arraycopy(names, 0, NAMES, Script.OP_PUSHDATA1, names.length);
    NAMES[0xff] = "OP_INVALIDOPCODE";
  }

  private ScriptAsm() {}

  public static String of(byte[] script, boolean decodeSighash) {
    boolean decode = decodeSighash && !(script.length > 0 && (script[0] & 0xff) == Script.OP_RETURN)
        && script.length <= MAX_SCRIPT_BYTES;
    Script.Ops ops = Script.ops(script);
    StringBuilder text = new StringBuilder();
    for (Script.Op op : ops.ops()) {
      text.append(text.isEmpty() ? "" : " ");
      if (!op.isPush()) {
        text.append(NAMES[op.opcode()] == null ? "OP_UNKNOWN" : NAMES[op.opcode()]);
      } else if (op.data().length <= MAX_NUMBER_BYTES) {
        text.append(number(op.data()));
      } else {
        text.append(decode ? pushWithSighash(op.data()) : HexFormat.of().formatHex(op.data()));
      }
    }
    if (!ops.complete()) {
      text.append(text.isEmpty() ? "" : " ").append("[error]");
    }
    return text.toString();
  }

  /** Core's CScriptNum of up to 4 bytes: little-endian magnitude, the top bit the sign. */
  private static long number(byte[] data) {
    long value = 0;
    for (int i = data.length - 1; i >= 0; i--) {
      value = value << 8 | (data[i] & 0xff);
    }
    if (data.length > 0 && (data[data.length - 1] & 0x80) != 0) {
      return -(value & ~(0x80L << (8 * (data.length - 1))));
    }
    return value;
  }

  private static String pushWithSighash(byte[] data) {
    String sighash = SIGHASH_NAMES.get(data[data.length - 1] & 0xff);
    if (sighash == null || !isStrictDer(data)) {
      return HexFormat.of().formatHex(data);
    }
    return HexFormat.of().formatHex(data, 0, data.length - 1) + "[" + sighash + "]";
  }

  /** Core's IsValidSignatureEncoding (BIP66): a DER signature followed by a sighash byte. */
  private static boolean isStrictDer(byte[] sig) {
    if (sig.length < 9 || sig.length > 73 || (sig[0] & 0xff) != 0x30 || (sig[1] & 0xff) != sig.length - 3) {
      return false;
    }
    int lengthR = sig[3] & 0xff;
    if (5 + lengthR >= sig.length) {
      return false;
    }
    int lengthS = sig[5 + lengthR] & 0xff;
    if (lengthR + lengthS + 7 != sig.length || sig[2] != 0x02 || lengthR == 0 || (sig[4] & 0x80) != 0) {
      return false;
    }
    if (lengthR > 1 && sig[4] == 0 && (sig[5] & 0x80) == 0) {
      return false;
    }
    if (sig[lengthR + 4] != 0x02 || lengthS == 0 || (sig[lengthR + 6] & 0x80) != 0) {
      return false;
    }
    return !(lengthS > 1 && sig[lengthR + 6] == 0 && (sig[lengthR + 7] & 0x80) == 0);
  }
}
