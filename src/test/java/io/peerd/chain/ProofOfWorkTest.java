package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.testing.MainnetData;
import io.peerd.wire.Hash;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProofOfWorkTest {
  @Test
  void compactEncodingMatchesCoreVectors() {
    assertThat(ProofOfWork.target(0x1d00ffff)).isEqualTo(new BigInteger("ffff", 16).shiftLeft(208));
    assertThat(ProofOfWork.target(0x05009234)).isEqualTo(BigInteger.valueOf(0x92340000L));
    assertThat(ProofOfWork.target(0x01123456)).isEqualTo(BigInteger.valueOf(0x12));
    assertThat(ProofOfWork.encodeCompact(BigInteger.valueOf(0x80))).isEqualTo(0x02008000);
    assertThat(ProofOfWork.encodeCompact(new BigInteger("ffff", 16).shiftLeft(208))).isEqualTo(0x1d00ffff);
    assertThat(ProofOfWork.decodeCompact(0x04923456)).as("negative").isEmpty();
    assertThat(ProofOfWork.decodeCompact(0xff123456)).as("overflow").isEmpty();
    assertThat(ProofOfWork.decodeCompact(0x00000000)).as("zero").isEmpty();
  }

  /** {@link ProofOfWork#check} keeps the last target decoded; every change of bits or limit counts. */
  @Test
  void checkAgainstTargetsThatChangeFromCallToCall() {
    Hash genesis = NetworkParameters.MAINNET.genesisHash(); // 43 leading zero bits
    BigInteger mainnetLimit = NetworkParameters.MAINNET.powLimit();
    BigInteger regtestLimit = NetworkParameters.REGTEST.powLimit();
    assertThat(ProofOfWork.check(genesis, 0x1d00ffff, mainnetLimit)).isTrue();
    assertThat(ProofOfWork.check(genesis, 0x1b00ffff, mainnetLimit)).as("a target 48 bits down").isFalse();
    assertThat(ProofOfWork.check(genesis, 0x1d00ffff, mainnetLimit)).isTrue();
    assertThat(ProofOfWork.check(genesis, 0x1d01ffff, mainnetLimit)).as("above mainnet's limit").isFalse();
    assertThat(ProofOfWork.check(genesis, 0x1d01ffff, regtestLimit)).as("within regtest's limit").isTrue();
    assertThat(ProofOfWork.check(genesis, 0, regtestLimit)).as("no target").isFalse();
  }

  @Test
  void workOfMinimumDifficultyIs2To32Plus() {
    assertThat(ProofOfWork.work(0x1d00ffff)).isEqualTo(new BigInteger("100010001", 16));
  }

  @Test
  void everyCheckpointHeaderMeetsItsTarget() throws Exception {
    for (MainnetData.CheckpointRecord record : MainnetData.checkpoints()) {
      io.peerd.wire.BlockHeader header = io.peerd.wire.BlockHeader.fromBytes(record.header());
      assertThat(ProofOfWork.check(header.hash(), header.bits(), NetworkParameters.MAINNET.powLimit()))
          .as("checkpoint at %d", record.height()).isTrue();
    }
  }

  /**
   * Cumulative work includes the checkpoint block itself, so between checkpoints at heights h and
   * h + 2016 lie 2016 blocks: 2015 of period h's difficulty and the next checkpoint's own block,
   * which already has the retargeted bits. When a retarget leaves bits unchanged this is exactly
   * 2016 x work(bits).
   */
  @Test
  void workBetweenConsecutiveCheckpointsIs2016BlocksOfTheirDifficulty() throws Exception {
    List<MainnetData.CheckpointRecord> records = MainnetData.checkpoints();
    assertThat(records).hasSize(436);
    MainnetData.CheckpointRecord first = records.get(0);
    assertThat(first.height()).isEqualTo(2016);
    assertThat(first.chainWork()).isEqualTo(ProofOfWork.work(0x1d00ffff).multiply(BigInteger.valueOf(2017)));
    int unchangedDifficultyPeriods = 0;
    for (int i = 1; i < records.size(); i++) {
      MainnetData.CheckpointRecord previous = records.get(i - 1);
      MainnetData.CheckpointRecord current = records.get(i);
      assertThat(current.height()).isEqualTo(previous.height() + 2016);
      int periodBits = bits(previous);
      int nextBits = bits(current);
      BigInteger expected = ProofOfWork.work(periodBits).multiply(BigInteger.valueOf(2015))
          .add(ProofOfWork.work(nextBits));
      assertThat(current.chainWork().subtract(previous.chainWork())).as("period at %d", previous.height())
          .isEqualTo(expected);
      if (periodBits == nextBits) {
        unchangedDifficultyPeriods++;
        assertThat(current.chainWork().subtract(previous.chainWork()))
            .isEqualTo(ProofOfWork.work(periodBits).multiply(BigInteger.valueOf(2016)));
      }
    }
    assertThat(unchangedDifficultyPeriods).isPositive();
  }

  private static int bits(MainnetData.CheckpointRecord record) throws Exception {
    return io.peerd.wire.BlockHeader.fromBytes(record.header()).bits();
  }
}
