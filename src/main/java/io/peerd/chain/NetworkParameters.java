package io.peerd.chain;

import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything that differs between Bitcoin networks: message magic, port, genesis block and the
 * consensus constants headers and blocks are checked against. Values follow Bitcoin Core.
 *
 * @param magic the 4 message-start bytes as a big-endian int (mainnet's wire bytes f9 be b4 d9
 *     are {@code 0xf9beb4d9})
 * @param bip34Height first height whose coinbase must start with its height (and version >= 2)
 * @param segwitHeight first height where witness data (and a witness commitment) is allowed
 * @param minimumChainWork Core's {@code nMinimumChainWork}: a chain with less work is still being
 *     synced (initial block download), and its headers are stored only while they are synced
 * @param chainTxData Core's {@code chainTxData}, the transaction count the verification progress
 *     estimate counts towards
 */
public record NetworkParameters(
    String name,
    int magic,
    int defaultPort,
    Block genesis,
    BigInteger powLimit,
    int retargetIntervalBlocks,
    long targetTimespanSeconds,
    long targetSpacingSeconds,
    boolean allowMinDifficultyBlocks,
    boolean noRetargeting,
    boolean enforceBip94,
    int bip34Height,
    int bip66Height,
    int bip65Height,
    int segwitHeight,
    List<Checkpoint> checkpoints,
    BigInteger minimumChainWork,
    ChainTxData chainTxData) {

  /** Seconds a header's time may be ahead of our adjusted clock. */
  public static final long MAX_FUTURE_BLOCK_TIME_SECONDS = 2 * 60 * 60;
  /** BIP94: the first block of a period may be at most this much earlier than its parent. */
  public static final long MAX_TIMEWARP_SECONDS = 600;
  /** Core's {@code -maxtipage} default, the same on every network. */
  private static final long MAX_TIP_AGE_SECONDS = 24 * 60 * 60;

  /**
   * The chain's transaction count at one moment and the rate it grew at then (Core's
   * {@code ChainTxData}, from {@code getchaintxstats 4096} at its assume-valid block).
   */
  public record ChainTxData(long timeSeconds, long txCount, double txRatePerSecond) {}

  private static final String SATOSHI_MESSAGE =
      "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks";
  private static final String SATOSHI_PUBKEY = "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61"
      + "deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f";
  private static final String TESTNET4_MESSAGE =
      "03/May/2024 000000000000000000001ebd58c244970b3aa9d783bb001011fbe8ea8e98e00e";
  private static final String TESTNET4_PUBKEY = "00".repeat(33);
  private static final BigInteger MAIN_POW_LIMIT = hexNumber("00000000" + "ff".repeat(28));
  private static final long TWO_WEEKS_SECONDS = 14 * 24 * 60 * 60;
  private static final long TEN_MINUTES_SECONDS = 600;

  // Minimum chain work and ChainTxData are Bitcoin Core 30.0's (src/kernel/chainparams.cpp as
  // updated for 30.0 by PR #33274; mainnet's are those of assume-valid block 912683). Core
  // raises them before every release; a lower minimum only makes the checks it feeds more lenient.

  public static final NetworkParameters MAINNET = new NetworkParameters("main", 0xf9beb4d9, 8333,
      genesis(SATOSHI_MESSAGE, SATOSHI_PUBKEY, 1231006505L, 2083236893L, 0x1d00ffff),
      MAIN_POW_LIMIT, 2016, TWO_WEEKS_SECONDS, TEN_MINUTES_SECONDS, false, false, false,
      227931, 363725, 388381, 481824,
      List.of(
          Checkpoint.of(112896, "000000000000cb6aeb7e251ed31a814d9631b5fe3d6994e00229f7ebbfae5344"),
          Checkpoint.of(203616, "00000000000003010530e33a849b27ded874202911e9e63263cb49245744fb9e"),
          Checkpoint.of(304416, "00000000000000000ead30f2a70f979a6b07f841ca05302497a92b3c9a9488a3"),
          Checkpoint.of(405216, "000000000000000006969473ee3a2126d9a953ad00eee6443b4d2d2e0881fc07"),
          Checkpoint.of(506016, "000000000000000000258fe79c8b891a7cecdf96196c6c9b2e609318c7ad95c9"),
          Checkpoint.of(606816, "00000000000000000005857209fc152c7bfe5b721fed39b503463b118674ffd1"),
          Checkpoint.of(707616, "00000000000000000002c26934496974adf77b74332c6e9ada689e0b0212a302"),
          Checkpoint.of(808416, "000000000000000000006d03019345e5619988db8739ea62f1393f6afc0c99a1")),
      hexNumber("dee8e2a309ad8a9820433c68"), new ChainTxData(1756722903L, 1235299397L, 5.456290459519495));

  public static final NetworkParameters TESTNET3 = new NetworkParameters("testnet3", 0x0b110907, 18333,
      genesis(SATOSHI_MESSAGE, SATOSHI_PUBKEY, 1296688602L, 414098458L, 0x1d00ffff),
      MAIN_POW_LIMIT, 2016, TWO_WEEKS_SECONDS, TEN_MINUTES_SECONDS, true, false, false,
      21111, 330776, 581885, 834624,
      List.of(Checkpoint.of(546, "000000002a936ca763904c3c35fce2f3556c559c0214345d31b1bcebf76acb70")),
      hexNumber("16dd270dd94fac1d7632"), new ChainTxData(1751816758L, 508468699L, 7.172978845985714));

  public static final NetworkParameters TESTNET4 = new NetworkParameters("testnet4", 0x1c163f28, 48333,
      genesis(TESTNET4_MESSAGE, TESTNET4_PUBKEY, 1714777860L, 393743547L, 0x1d00ffff),
      MAIN_POW_LIMIT, 2016, TWO_WEEKS_SECONDS, TEN_MINUTES_SECONDS, true, false, true,
      1, 1, 1, 1, List.of(),
      hexNumber("034a4690fe592dc49c7c"), new ChainTxData(1752470331L, 11414302L, 0.2842619757327476));

  public static final NetworkParameters SIGNET = new NetworkParameters("signet", 0x0a03cf40, 38333,
      genesis(SATOSHI_MESSAGE, SATOSHI_PUBKEY, 1598918400L, 52613770L, 0x1e0377ae),
      hexNumber("00000377ae" + "00".repeat(27)), 2016, TWO_WEEKS_SECONDS, TEN_MINUTES_SECONDS,
      false, false, false, 1, 1, 1, 1, List.of(),
      hexNumber("067d328e681a"), new ChainTxData(1756723017L, 26185472L, 0.7452721495389969));

  public static final NetworkParameters REGTEST = new NetworkParameters("regtest", 0xfabfb5da, 18444,
      genesis(SATOSHI_MESSAGE, SATOSHI_PUBKEY, 1296688602L, 2L, 0x207fffff),
      hexNumber("7fffff" + "00".repeat(29)), 2016, TWO_WEEKS_SECONDS, TEN_MINUTES_SECONDS,
      true, true, false, 1, 1, 1, 0, List.of(),
      BigInteger.ZERO, new ChainTxData(0, 0, 0.001)); // Core: "a non-zero rate to make it testable"

  public static final List<NetworkParameters> ALL = List.of(MAINNET, TESTNET3, TESTNET4, SIGNET, REGTEST);

  /** Looks a network up by Core's names and common aliases: main/mainnet, test/testnet/testnet3, ... */
  public static Optional<NetworkParameters> byName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "main", "mainnet", "bitcoin" -> Optional.of(MAINNET);
      case "test", "testnet", "testnet3" -> Optional.of(TESTNET3);
      case "testnet4" -> Optional.of(TESTNET4);
      case "signet" -> Optional.of(SIGNET);
      case "regtest" -> Optional.of(REGTEST);
      default -> Optional.empty();
    };
  }

  /** Blocks between subsidy halvings: 150 on regtest, 210,000 elsewhere. */
  public int subsidyHalvingIntervalBlocks() {
    return name.equals("regtest") ? 150 : 210_000;
  }

  /** The block subsidy at {@code height} in satoshis: 50 BTC halved every interval, 0 after 64 halvings. */
  public long subsidySatoshis(int height) {
    int halvings = height / subsidyHalvingIntervalBlocks();
    return halvings >= 64 ? 0 : (50L * 100_000_000L) >> halvings;
  }

  public Hash genesisHash() {
    return genesis.hash();
  }

  /** The compact form of the proof-of-work limit: the easiest difficulty this network allows. */
  public int powLimitBits() {
    return ProofOfWork.encodeCompact(powLimit);
  }

  /** A tip older than this means the node is still catching up (initial block download). */
  public long maxTipAgeSeconds() {
    return MAX_TIP_AGE_SECONDS;
  }

  public int lastCheckpointHeight() {
    return checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).height();
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * The genesis block as every network builds it: one coinbase whose script pushes the
   * difficulty 486604799, the number 4 and a message, paying 50 BTC to a public key.
   */
  private static Block genesis(String message, String pubKeyHex, long time, long nonce, int bits) {
    byte[] messageBytes = message.getBytes(StandardCharsets.US_ASCII);
    byte[] scriptSig = new Script.Builder().pushNumber(486604799).pushData(Script.encodeNumber(4)).pushData(messageBytes).build();
    byte[] outputScript = new Script.Builder().pushData(HexFormat.of().parseHex(pubKeyHex))
        .op(Script.OP_CHECKSIG).build();
    Transaction coinbase = new Transaction(1,
        List.of(new Transaction.Input(Transaction.OutPoint.NULL, scriptSig, 0xffffffffL, List.of())),
        List.of(new Transaction.Output(50L * 100_000_000L, outputScript)), 0);
    BlockHeader header = new BlockHeader(1, Hash.ZERO, coinbase.txid(), time, bits, nonce);
    return new Block(header, List.of(coinbase));
  }

  private static BigInteger hexNumber(String hex) {
    return new BigInteger(hex, 16);
  }
}
