package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.store.HeaderStatus;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import org.junit.jupiter.api.Test;

/** Difficulty rules on synthetic header chains (proof of work is not what these check). */
class DifficultyTest {
  private static HeaderNode node(HeaderNode parent, long time, int bits) {
    Hash previous = parent == null ? Hash.ZERO : parent.hash();
    return new HeaderNode(new BlockHeader(4, previous, Hash.ZERO, time, bits, 0), parent, HeaderStatus.VALID, false);
  }

  private static int retarget(NetworkParameters params, long firstTime, long lastTime, int bits) {
    HeaderNode first = node(null, firstTime, bits);
    return Difficulty.retarget(params, node(first, lastTime, bits), first);
  }

  /** Bitcoin Core's pow_tests vectors, real mainnet periods. */
  @Test
  void mainnetRetargetMatchesCoreVectors() {
    NetworkParameters main = NetworkParameters.MAINNET;
    assertThat(retarget(main, 1261130161L, 1262152739L, 0x1d00ffff)).isEqualTo(0x1d00d86a);
    assertThat(retarget(main, 1231006505L, 1233061996L, 0x1d00ffff)).as("capped at pow limit").isEqualTo(0x1d00ffff);
    assertThat(retarget(main, 1279008237L, 1279297671L, 0x1c05a3f4)).as("clamped to /4").isEqualTo(0x1c0168fd);
    assertThat(retarget(main, 1263163443L, 1269211443L, 0x1c387f6f)).as("clamped to x4").isEqualTo(0x1d00e1fd);
  }

  @Test
  void bitsOnlyChangeAtRetargetBoundaries() {
    HeaderNode tip = node(null, 1_000_000, 0x1c05a3f4);
    for (int i = 1; i < 2015; i++) {
      tip = node(tip, 1_000_000 + i * 600L, 0x1c05a3f4);
      assertThat(Difficulty.nextBits(NetworkParameters.MAINNET, tip, tip.header().time() + 600)).isEqualTo(0x1c05a3f4);
    }
    tip = node(tip, 1_000_000 + 2015 * 600L, 0x1c05a3f4);
    assertThat(tip.height()).isEqualTo(2015);
    // 2015 intervals of 600 s are a little under two weeks: the target shrinks slightly.
    assertThat(Difficulty.nextBits(NetworkParameters.MAINNET, tip, tip.header().time() + 600))
        .isEqualTo(ProofOfWork.encodeCompact(ProofOfWork.target(0x1c05a3f4)
            .multiply(java.math.BigInteger.valueOf(2015 * 600L)).divide(java.math.BigInteger.valueOf(1_209_600L))));
  }

  @Test
  void testnetTwentyMinuteRuleAllowsMinimumDifficultyThenWalksBack() {
    NetworkParameters testnet = NetworkParameters.TESTNET3;
    int realBits = 0x1c05a3f4;
    int minBits = testnet.powLimitBits();
    HeaderNode real = node(node(null, 1_000_000, realBits), 1_000_600, realBits);
    assertThat(Difficulty.nextBits(testnet, real, 1_000_600 + 1201)).isEqualTo(minBits);
    assertThat(Difficulty.nextBits(testnet, real, 1_000_600 + 1200)).isEqualTo(realBits);
    HeaderNode easy = node(node(real, 1_002_000, minBits), 1_003_500, minBits);
    assertThat(Difficulty.nextBits(testnet, easy, 1_003_600)).as("walks back past min-difficulty blocks")
        .isEqualTo(realBits);
    assertThat(Difficulty.nextBits(NetworkParameters.MAINNET, real, 1_000_600 + 5000)).isEqualTo(realBits);
  }

  @Test
  void testnet4RetargetsFromThePeriodsFirstBlockNotAMinimumDifficultyLastBlock() {
    NetworkParameters testnet4 = NetworkParameters.TESTNET4;
    int realBits = 0x1c05a3f4;
    HeaderNode first = node(null, 1_000_000, realBits);
    HeaderNode lastAtMinimum = node(first, 1_000_000 + 1_209_600, testnet4.powLimitBits());
    assertThat(Difficulty.retarget(testnet4, lastAtMinimum, first)).isEqualTo(realBits);
    assertThat(Difficulty.retarget(NetworkParameters.TESTNET3, lastAtMinimum, first))
        .as("testnet3 keeps the time-warp weakness").isEqualTo(testnet4.powLimitBits());
  }

  @Test
  void testnet4RefusesATimewarpAtThePeriodStart() throws VerificationException {
    NetworkParameters testnet4 = NetworkParameters.TESTNET4;
    int bits = testnet4.powLimitBits();
    HeaderNode tip = periodEnd(bits);
    HeaderValidator validator = new HeaderValidator(testnet4, () -> 2_000_000_000L);
    long parentTime = tip.header().time();
    int nextBits = Difficulty.nextBits(testnet4, tip, parentTime - 601);
    BlockHeader warped = new BlockHeader(4, tip.hash(), Hash.ZERO, parentTime - 601, nextBits, 0);
    assertThatThrownBy(() -> validator.checkContext(warped, tip))
        .hasMessageStartingWith("time-timewarp-attack");
    BlockHeader allowed = new BlockHeader(4, tip.hash(), Hash.ZERO, parentTime - 600, nextBits, 0);
    validator.checkContext(allowed, tip);
    assertThat(NetworkParameters.TESTNET3.enforceBip94()).isFalse();
  }

  private static HeaderNode periodEnd(int bits) {
    HeaderNode tip = node(null, 1_000_000, bits);
    for (int i = 1; i <= 2015; i++) {
      tip = node(tip, 1_000_000 + i * 600L, bits);
    }
    return tip;
  }

  @Test
  void regtestNeverRetargets() {
    HeaderNode tip = node(null, 1_000_000, 0x207fffff);
    for (int i = 1; i <= 2015; i++) {
      tip = node(tip, 1_000_000 + i, 0x207fffff);
    }
    assertThat(Difficulty.nextBits(NetworkParameters.REGTEST, tip, 1_000_000 + 2016)).isEqualTo(0x207fffff);
  }
}
