package io.peerd.chain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What Core says of an output script without any wallet: its type (Core's Solver), its address
 * when it has one (never for a bare public key, as Core's RPC) and its inferred descriptor with
 * checksum ({@code addr(...)}, {@code pk(...)}, {@code multi(...)}, {@code rawtr(...)} or
 * {@code raw(...)}).
 *
 * @param type Core's name: pubkey, pubkeyhash, scripthash, multisig, nulldata, witness_v0_keyhash,
 *     witness_v0_scripthash, witness_v1_taproot, anchor, witness_unknown or nonstandard
 */
public record OutputScript(String type, Optional<String> address, String descriptor) {
  private static final int OP_DUP = 0x76;
  private static final int OP_EQUAL = 0x87;
  private static final int OP_EQUALVERIFY = 0x88;
  private static final int OP_HASH160 = 0xa9;
  private static final int OP_16 = 0x60;
  private static final int HASH160_BYTES = 20;
  private static final int SHA256_BYTES = 32;
  private static final byte[] ANCHOR_PROGRAM = {0x4e, 0x73};
  private static final HexFormat HEX = HexFormat.of();

  public static OutputScript of(byte[] script, NetworkParameters params) {
    int length = script.length;
    if (length == 23 && at(script, 0) == OP_HASH160 && at(script, 1) == HASH160_BYTES && at(script, 22) == OP_EQUAL) {
      return withAddress("scripthash", Address.scriptHash(Arrays.copyOfRange(script, 2, 22), params));
    }
    if (length >= 4 && length <= 42 && (at(script, 0) == Script.OP_0 || isSmallInteger(at(script, 0)))
        && at(script, 1) + 2 == length) {
      return witness(at(script, 0) == Script.OP_0 ? 0 : at(script, 0) - Script.OP_1 + 1,
          Arrays.copyOfRange(script, 2, length), script, params);
    }
    Script.Ops ops = Script.ops(script);
    if (length >= 1 && at(script, 0) == Script.OP_RETURN && ops.complete()
        && ops.ops().stream().skip(1).allMatch(op -> op.opcode() <= OP_16)) {
      return raw("nulldata", script);
    }
    if (ops.complete() && ops.ops().size() == 2 && ops.ops().get(1).opcode() == Script.OP_CHECKSIG
        && isPublicKey(ops.ops().get(0))) {
      return new OutputScript("pubkey", Optional.empty(), withChecksum("pk(" + HEX.formatHex(ops.ops().get(0).data()) + ")"));
    }
    if (length == 25 && at(script, 0) == OP_DUP && at(script, 1) == OP_HASH160 && at(script, 2) == HASH160_BYTES
        && at(script, 23) == OP_EQUALVERIFY && at(script, 24) == Script.OP_CHECKSIG) {
      return withAddress("pubkeyhash", Address.pubKeyHash(Arrays.copyOfRange(script, 3, 23), params));
    }
    return multisig(ops).orElseGet(() -> raw("nonstandard", script));
  }

  private static OutputScript witness(int version, byte[] program, byte[] script, NetworkParameters params) {
    String address = Address.segwit(version, program, params);
    if (version == 0 && program.length == HASH160_BYTES) {
      return withAddress("witness_v0_keyhash", address);
    }
    if (version == 0 && program.length == SHA256_BYTES) {
      return withAddress("witness_v0_scripthash", address);
    }
    if (version == 1 && program.length == SHA256_BYTES) {
      return new OutputScript("witness_v1_taproot", Optional.of(address), withChecksum("rawtr(" + HEX.formatHex(program) + ")"));
    }
    if (version == 1 && Arrays.equals(program, ANCHOR_PROGRAM)) {
      return withAddress("anchor", address);
    }
    return version == 0 ? raw("nonstandard", script) : withAddress("witness_unknown", address);
  }

  /** OP_m, n public keys, OP_n, OP_CHECKMULTISIG, with 1 <= m <= n <= 16. */
  private static Optional<OutputScript> multisig(Script.Ops parsed) {
    List<Script.Op> ops = parsed.ops();
    if (!parsed.complete() || ops.size() < 4 || ops.getLast().opcode() != Script.OP_CHECKMULTISIG
        || !isSmallInteger(ops.getFirst().opcode()) || !isSmallInteger(ops.get(ops.size() - 2).opcode())) {
      return Optional.empty();
    }
    int required = ops.getFirst().opcode() - Script.OP_1 + 1;
    List<Script.Op> keys = ops.subList(1, ops.size() - 2);
    if (ops.get(ops.size() - 2).opcode() - Script.OP_1 + 1 != keys.size() || required > keys.size()
        || !keys.stream().allMatch(OutputScript::isPublicKey)) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>(List.of(String.valueOf(required)));
    keys.forEach(key -> parts.add(HEX.formatHex(key.data())));
    return Optional.of(new OutputScript("multisig", Optional.empty(), withChecksum("multi(" + String.join(",", parts) + ")")));
  }

  /** Core's CPubKey::ValidSize: 33 bytes after 02 or 03, 65 after 04, 06 or 07. */
  private static boolean isPublicKey(Script.Op op) {
    byte[] key = op.data();
    if (!op.isPush() || key.length == 0) {
      return false;
    }
    int prefix = key[0] & 0xff;
    return key.length == 33 && (prefix == 2 || prefix == 3) || key.length == 65 && (prefix == 4 || prefix == 6 || prefix == 7);
  }

  private static boolean isSmallInteger(int opcode) {
    return opcode >= Script.OP_1 && opcode <= OP_16;
  }

  private static int at(byte[] script, int index) {
    return script[index] & 0xff;
  }

  private static OutputScript withAddress(String type, String address) {
    return new OutputScript(type, Optional.of(address), withChecksum("addr(" + address + ")"));
  }

  private static OutputScript raw(String type, byte[] script) {
    return new OutputScript(type, Optional.empty(), withChecksum("raw(" + HEX.formatHex(script) + ")"));
  }

  /** Appends Core's descriptor checksum (DescriptorChecksum in descriptor.cpp). */
  static String withChecksum(String descriptor) {
    return descriptor + "#" + DescriptorChecksum.of(descriptor);
  }
}
