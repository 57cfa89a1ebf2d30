package io.peerd.chain;

import io.peerd.wire.Sha256;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Turns an address string, as a user hands it to RPC (generatetoaddress), into the output script
 * it stands for: Base58Check P2PKH and P2SH, Bech32 segwit v0 (BIP173) and Bech32m v1 to v16
 * (BIP350). An address of another network is refused, as Bitcoin Core does, so that a client
 * pointed at the wrong node finds out instead of paying a script nobody there can spend.
 */
public final class Address {
  /** BIP173's limit on a Bech32 string; longer than any address, so it also bounds Base58 work. */
  private static final int MAX_LENGTH = 90;

  private static final int OP_DUP = 0x76;
  private static final int OP_EQUAL = 0x87;
  private static final int OP_EQUALVERIFY = 0x88;
  private static final int OP_HASH160 = 0xa9;
  private static final int HASH160_LENGTH = 20;
  private static final int SHA256_LENGTH = 32;
  private static final int BASE58_CHECKSUM_LENGTH = 4;
  private static final String BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE58 = BigInteger.valueOf(58);

  private static final String BECH32_ALPHABET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int BECH32_CHECKSUM_LENGTH = 6;
  private static final int[] BECH32_GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  private static final int MAX_WITNESS_VERSION = 16;
  private static final int MIN_PROGRAM_LENGTH = 2;
  private static final int MAX_PROGRAM_LENGTH = 40;
  private static final int MAX_PADDING_BITS = 4;

  /** What marks an address as a network's. The test networks share theirs, as in Bitcoin Core. */
  private record Prefixes(int pubKeyHashVersion, int scriptHashVersion, String hrp) {}

  private static final Prefixes MAIN = new Prefixes(0x00, 0x05, "bc");
  private static final Prefixes TEST = new Prefixes(0x6f, 0xc4, "tb");
  private static final Prefixes REGTEST = new Prefixes(0x6f, 0xc4, "bcrt");
  private static final List<Prefixes> ALL_PREFIXES = List.of(MAIN, TEST, REGTEST);

  /** The checksum variants, told apart by the constant the checksum is xored with. */
  enum Encoding {
    BECH32(1), BECH32M(0x2bc830a3);

    private final int constant;

    Encoding(int constant) {
      this.constant = constant;
    }
  }

  /** A Bech32 string taken apart: the lower-case HRP and the 5-bit data values, checksum removed. */
  record Bech32(String hrp, byte[] values, Encoding encoding) {}

  private Address() {}

  /** The output script paying {@code address}, which must belong to {@code params}' network. */
  public static byte[] toScriptPubKey(String address, NetworkParameters params) throws InvalidAddressException {
    Prefixes ours = prefixesOf(params.name());
    checkLength(address);
    Bech32 bech32;
    try {
      bech32 = decodeBech32(address);
    } catch (InvalidAddressException notBech32) {
      // A known HRP means the user meant segwit: the Bech32 error is the useful one.
      if (hasKnownHrp(address)) {
        throw notBech32;
      }
      return base58Script(address, ours, params);
    }
    return segwitScript(bech32, ours, params);
  }

  /** The network's P2PKH address for a 20-byte key hash (Base58Check). */
  public static String pubKeyHash(byte[] hash160, NetworkParameters params) {
    return encodeBase58Check(prefixesOf(params.name()).pubKeyHashVersion(), hash160);
  }

  /** The network's P2SH address for a 20-byte script hash (Base58Check). */
  public static String scriptHash(byte[] hash160, NetworkParameters params) {
    return encodeBase58Check(prefixesOf(params.name()).scriptHashVersion(), hash160);
  }

  /** The network's segwit address for a witness program: Bech32 for version 0, Bech32m after (BIP350). */
  public static String segwit(int version, byte[] program, NetworkParameters params) {
    String hrp = prefixesOf(params.name()).hrp();
    ByteArrayOutputStream values = new ByteArrayOutputStream();
    values.write(version);
    int pending = 0;
    int pendingBits = 0;
    for (byte b : program) {
      pending = (pending << 8) | (b & 0xff);
      pendingBits += 8;
      while (pendingBits >= 5) {
        pendingBits -= 5;
        values.write((pending >>> pendingBits) & 31);
      }
    }
    if (pendingBits > 0) {
      values.write((pending << (5 - pendingBits)) & 31);
    }
    byte[] data = values.toByteArray();
    Encoding encoding = version == 0 ? Encoding.BECH32 : Encoding.BECH32M;
    int checksum = polymod(hrp, Arrays.copyOf(data, data.length + BECH32_CHECKSUM_LENGTH)) ^ encoding.constant;
    StringBuilder text = new StringBuilder(hrp).append('1');
    for (byte value : data) {
      text.append(BECH32_ALPHABET.charAt(value));
    }
    for (int i = 0; i < BECH32_CHECKSUM_LENGTH; i++) {
      text.append(BECH32_ALPHABET.charAt((checksum >>> (5 * (BECH32_CHECKSUM_LENGTH - 1 - i))) & 31));
    }
    return text.toString();
  }

  private static String encodeBase58Check(int version, byte[] payload) {
    byte[] data = new byte[1 + payload.length + BASE58_CHECKSUM_LENGTH];
    data[0] = (byte) version;
    System.arraycopy(payload, 0, data, 1, payload.length);
    byte[] hash = Sha256.doubleHash(data, 0, 1 + payload.length);
    System.arraycopy(hash, 0, data, 1 + payload.length, BASE58_CHECKSUM_LENGTH);
    StringBuilder digits = new StringBuilder();
    for (BigInteger number = new BigInteger(1, data); number.signum() > 0; number = number.divide(BASE58)) {
      digits.append(BASE58_ALPHABET.charAt(number.mod(BASE58).intValue()));
    }
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      digits.append('1');
    }
    return digits.reverse().toString();
  }

  /** Decodes any Bech32 or Bech32m string (BIP173, BIP350), not only addresses. */
  static Bech32 decodeBech32(String text) throws InvalidAddressException {
    checkLength(text);
    checkBech32Characters(text);
    String lower = text.toLowerCase(Locale.ROOT);
    int separator = lower.lastIndexOf('1');
    if (separator < 0) {
      throw new InvalidAddressException("no '1' separator");
    }
    if (separator == 0) {
      throw new InvalidAddressException("empty HRP");
    }
    if (lower.length() - separator - 1 < BECH32_CHECKSUM_LENGTH) {
      throw new InvalidAddressException("checksum shorter than " + BECH32_CHECKSUM_LENGTH + " characters");
    }
    String hrp = lower.substring(0, separator);
    byte[] values = bech32Values(lower.substring(separator + 1));
    Encoding encoding = checksumEncoding(hrp, values);
    return new Bech32(hrp, Arrays.copyOf(values, values.length - BECH32_CHECKSUM_LENGTH), encoding);
  }

  private static Prefixes prefixesOf(String networkName) {
    return switch (networkName) {
      case "main" -> MAIN;
      case "testnet3", "testnet4", "signet" -> TEST;
      case "regtest" -> REGTEST;
      default -> throw new IllegalArgumentException("no address prefixes for network " + networkName);
    };
  }

  /** The names of the networks whose prefixes pass {@code test}, or "" if none do. */
  private static String networksWith(Predicate<Prefixes> test) {
    return NetworkParameters.ALL.stream().filter(params -> test.test(prefixesOf(params.name())))
        .map(NetworkParameters::name).collect(Collectors.joining(", "));
  }

  private static InvalidAddressException wrongNetwork(String networks, NetworkParameters params) {
    return new InvalidAddressException("address is for " + networks + ", this node runs " + params.name());
  }

  private static void checkLength(String text) throws InvalidAddressException {
    if (text.length() > MAX_LENGTH) {
      throw new InvalidAddressException("longer than " + MAX_LENGTH + " characters");
    }
  }

  private static boolean hasKnownHrp(String address) {
    String lower = address.toLowerCase(Locale.ROOT);
    return ALL_PREFIXES.stream().anyMatch(prefixes -> lower.startsWith(prefixes.hrp() + "1"));
  }

  private static byte[] segwitScript(Bech32 bech32, Prefixes ours, NetworkParameters params)
      throws InvalidAddressException {
    if (!bech32.hrp().equals(ours.hrp())) {
      String networks = networksWith(prefixes -> prefixes.hrp().equals(bech32.hrp()));
      throw networks.isEmpty() ? new InvalidAddressException("unknown HRP '" + bech32.hrp() + "'")
          : wrongNetwork(networks, params);
    }
    byte[] values = bech32.values();
    if (values.length == 0) {
      throw new InvalidAddressException("empty data section");
    }
    int version = values[0];
    checkVersionAndEncoding(version, bech32.encoding());
    byte[] program = regroupToBytes(values, 1);
    checkProgramLength(version, program.length);
    return new Script.Builder().pushNumber(version).pushData(program).build();
  }

  /** BIP350: version 0 keeps Bech32, later versions must use Bech32m so old wallets reject them. */
  private static void checkVersionAndEncoding(int version, Encoding encoding) throws InvalidAddressException {
    if (version > MAX_WITNESS_VERSION) {
      throw new InvalidAddressException("witness version " + version + " is over " + MAX_WITNESS_VERSION);
    }
    Encoding required = version == 0 ? Encoding.BECH32 : Encoding.BECH32M;
    if (encoding != required) {
      throw new InvalidAddressException("witness version " + version + " needs a " + required + " checksum");
    }
  }

  private static void checkProgramLength(int version, int length) throws InvalidAddressException {
    if (length < MIN_PROGRAM_LENGTH || length > MAX_PROGRAM_LENGTH) {
      throw new InvalidAddressException("witness program is " + length + " bytes, not "
          + MIN_PROGRAM_LENGTH + " to " + MAX_PROGRAM_LENGTH);
    }
    // BIP141 defines version 0 programs of these two sizes only; others could never be spent.
    if (version == 0 && length != HASH160_LENGTH && length != SHA256_LENGTH) {
      throw new InvalidAddressException("witness v0 program is " + length + " bytes, not "
          + HASH160_LENGTH + " or " + SHA256_LENGTH);
    }
  }

  /** Printable US-ASCII only, and one case throughout: the checksum covers the lower-case form. */
  private static void checkBech32Characters(String text) throws InvalidAddressException {
    if (text.chars().anyMatch(c -> c < 33 || c > 126)) {
      throw new InvalidAddressException("character out of range");
    }
    if (!text.equals(text.toLowerCase(Locale.ROOT)) && !text.equals(text.toUpperCase(Locale.ROOT))) {
      throw new InvalidAddressException("mixed case");
    }
  }

  private static byte[] bech32Values(String data) throws InvalidAddressException {
    byte[] values = new byte[data.length()];
    for (int i = 0; i < values.length; i++) {
      int value = BECH32_ALPHABET.indexOf(data.charAt(i));
      if (value < 0) {
        throw new InvalidAddressException("invalid Bech32 character '" + data.charAt(i) + "'");
      }
      values[i] = (byte) value;
    }
    return values;
  }

  private static Encoding checksumEncoding(String hrp, byte[] valuesWithChecksum) throws InvalidAddressException {
    int residue = polymod(hrp, valuesWithChecksum);
    for (Encoding encoding : Encoding.values()) {
      if (residue == encoding.constant) {
        return encoding;
      }
    }
    throw new InvalidAddressException("bad Bech32 checksum");
  }

  /** The BCH checksum of BIP173 over the expanded HRP (high bits, a zero, low bits) and the data. */
  private static int polymod(String hrp, byte[] values) {
    int checksum = 1;
    for (int i = 0; i < hrp.length(); i++) {
      checksum = polymodStep(checksum, hrp.charAt(i) >> 5);
    }
    checksum = polymodStep(checksum, 0);
    for (int i = 0; i < hrp.length(); i++) {
      checksum = polymodStep(checksum, hrp.charAt(i) & 31);
    }
    for (byte value : values) {
      checksum = polymodStep(checksum, value);
    }
    return checksum;
  }

  private static int polymodStep(int checksum, int value) {
    int top = checksum >>> 25;
    int next = ((checksum & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < BECH32_GENERATOR.length; i++) {
      if (((top >>> i) & 1) != 0) {
        next ^= BECH32_GENERATOR[i];
      }
    }
    return next;
  }

  /** Regroups 5-bit values into bytes; the leftover may be at most 4 bits, all zero (BIP173). */
  private static byte[] regroupToBytes(byte[] values, int from) throws InvalidAddressException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(values.length);
    int pending = 0;
    int pendingBits = 0;
    for (int i = from; i < values.length; i++) {
      // Only the low pendingBits + 5 bits matter, so the int may overflow harmlessly.
      pending = (pending << 5) | values[i];
      pendingBits += 5;
      if (pendingBits >= 8) {
        pendingBits -= 8;
        bytes.write(pending >>> pendingBits);
      }
    }
    if (pendingBits > MAX_PADDING_BITS) {
      throw new InvalidAddressException("more than " + MAX_PADDING_BITS + " padding bits");
    }
    if ((pending & ((1 << pendingBits) - 1)) != 0) {
      throw new InvalidAddressException("non-zero padding bits");
    }
    return bytes.toByteArray();
  }

  private static byte[] base58Script(String address, Prefixes ours, NetworkParameters params)
      throws InvalidAddressException {
    byte[] payload = decodeBase58Check(address);
    if (payload.length != 1 + HASH160_LENGTH) {
      throw new InvalidAddressException("Base58Check payload is " + payload.length + " bytes, not "
          + (1 + HASH160_LENGTH));
    }
    int version = payload[0] & 0xff;
    byte[] hash = Arrays.copyOfRange(payload, 1, payload.length);
    if (version == ours.pubKeyHashVersion()) {
      return new Script.Builder().op(OP_DUP).op(OP_HASH160).pushData(hash).op(OP_EQUALVERIFY)
          .op(Script.OP_CHECKSIG).build();
    }
    if (version == ours.scriptHashVersion()) {
      return new Script.Builder().op(OP_HASH160).pushData(hash).op(OP_EQUAL).build();
    }
    String networks = networksWith(p -> p.pubKeyHashVersion() == version || p.scriptHashVersion() == version);
    throw networks.isEmpty()
        ? new InvalidAddressException(String.format("unknown Base58 version byte 0x%02x", version))
        : wrongNetwork(networks, params);
  }

  /** The payload, once the last 4 bytes are checked to be the start of its double SHA-256. */
  private static byte[] decodeBase58Check(String text) throws InvalidAddressException {
    byte[] data = decodeBase58(text);
    int payloadLength = data.length - BASE58_CHECKSUM_LENGTH;
    if (payloadLength < 0) {
      throw new InvalidAddressException("too short for Base58Check");
    }
    byte[] hash = Sha256.doubleHash(data, 0, payloadLength);
    if (!Arrays.equals(hash, 0, BASE58_CHECKSUM_LENGTH, data, payloadLength, data.length)) {
      throw new InvalidAddressException("bad Base58Check checksum");
    }
    return Arrays.copyOf(data, payloadLength);
  }

  /** Base58 digits as one big-endian number; each leading '1' stands for a leading zero byte. */
  private static byte[] decodeBase58(String text) throws InvalidAddressException {
    BigInteger number = BigInteger.ZERO;
    int leadingZeros = 0;
    for (int i = 0; i < text.length(); i++) {
      int digit = BASE58_ALPHABET.indexOf(text.charAt(i));
      if (digit < 0) {
        throw new InvalidAddressException("invalid Base58 character '" + text.charAt(i) + "'");
      }
      if (digit == 0 && leadingZeros == i) {
        leadingZeros++;
      }
      number = number.multiply(BASE58).add(BigInteger.valueOf(digit));
    }
    byte[] magnitude = number.toByteArray();
    // toByteArray adds a sign byte when the top bit is set, and gives {0} for zero; drop both.
    int start = magnitude[0] == 0 ? 1 : 0;
    byte[] bytes = new byte[leadingZeros + magnitude.length - start];
    System.arraycopy(magnitude, start, bytes, leadingZeros, magnitude.length - start);
    return bytes;
  }
}
