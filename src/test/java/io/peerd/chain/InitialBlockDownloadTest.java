package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.peerd.testing.MemoryChainStore;
import io.peerd.testing.TestNetworks;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Initial block download and verification progress as Bitcoin Core computes them. */
class InitialBlockDownloadTest {
  private static final long DAY_SECONDS = 24 * 60 * 60;
  private static final byte[] PAY_TO = {Script.OP_RETURN};

  private long clockSeconds = 1_760_000_000L;

  private Chain open(NetworkParameters params) {
    return Chain.open(params, new MemoryChainStore(), () -> clockSeconds);
  }

  private InitialBlockDownload ibd(NetworkParameters params) {
    return new InitialBlockDownload(params, () -> clockSeconds);
  }

  /** Mines a block on the tip, stamped a minute ago. */
  private static void mineFreshBlock(Chain chain, long nowSeconds) {
    Block block = new BlockBuilder(chain.params()).mine(chain.tip(), PAY_TO, 0, nowSeconds - 60);
    assertThat(chain.acceptBlock(block, block.serialize(true)).outcome()).isEqualTo(Chain.BlockOutcome.CONNECTED);
  }

  @Test
  void aMainnetChainAtGenesisIsInInitialBlockDownload() {
    assertThat(ibd(NetworkParameters.MAINNET).isActive(open(NetworkParameters.MAINNET).snapshot())).isTrue();
  }

  @Test
  void aRegtestTipFromTheLastDayEndsItForGoodButAGenesisFrom2011DoesNot() {
    Chain chain = open(NetworkParameters.REGTEST);
    InitialBlockDownload ibd = ibd(NetworkParameters.REGTEST);
    assertThat(ibd.isActive(chain.snapshot())).as("regtest needs no work, but its genesis is old").isTrue();

    mineFreshBlock(chain, clockSeconds);
    assertThat(ibd.isActive(chain.snapshot())).isFalse();

    clockSeconds += 2 * DAY_SECONDS;
    assertThat(ibd.isActive(chain.snapshot())).as("latched").isFalse();
    assertThat(ibd(NetworkParameters.REGTEST).isActive(chain.snapshot())).as("a tip two days old").isTrue();
  }

  @Test
  void aFreshTipWithTooLittleWorkIsStillInInitialBlockDownload() {
    NetworkParameters params = TestNetworks.withMinimumChainWork(NetworkParameters.REGTEST,
        ProofOfWork.work(NetworkParameters.REGTEST.powLimitBits()).multiply(BigInteger.valueOf(3)));
    Chain chain = open(params);
    InitialBlockDownload ibd = ibd(params);
    mineFreshBlock(chain, clockSeconds);
    assertThat(ibd.isActive(chain.snapshot())).as("work of 2 blocks").isTrue();
    mineFreshBlock(chain, clockSeconds);
    assertThat(ibd.isActive(chain.snapshot())).as("work of 3 blocks").isFalse();
  }

  @Test
  void progressAtMainnetGenesisIsOneTransactionOfAllTheChainTxDataProjects() {
    NetworkParameters.ChainTxData data = NetworkParameters.MAINNET.chainTxData();
    clockSeconds = data.timeSeconds() + DAY_SECONDS;
    double progress = ibd(NetworkParameters.MAINNET).verificationProgress(open(NetworkParameters.MAINNET).snapshot());
    assertThat(progress).isPositive().isLessThan(1e-9)
        .isCloseTo(1 / (data.txCount() + DAY_SECONDS * data.txRatePerSecond()), within(1e-18));
  }

  /**
   * Regtest's ChainTxData counts nothing, so the tip's own count is projected from the tip's time;
   * near now that time is "now minus one block interval per header still to download".
   */
  @Test
  void progressNearNowCountsTheBlocksStillToDownload() {
    Chain chain = open(NetworkParameters.REGTEST);
    InitialBlockDownload ibd = ibd(NetworkParameters.REGTEST);
    mineFreshBlock(chain, clockSeconds);
    assertThat(chain.tip().chainTxCount()).isEqualTo(2);
    assertThat(ibd.verificationProgress(chain.snapshot())).isEqualTo(1.0);

    BlockHeader previous = chain.tip().header();
    for (int i = 0; i < 10; i++) {
      previous = BlockBuilder.solve(new BlockHeader(0x20000000, previous.hash(), Hash.ZERO, previous.time() + 1,
          previous.bits(), 0));
      assertThat(chain.acceptHeaders(List.of(previous)).rejection()).isEmpty();
    }
    // 2 / (2 + 10 blocks * 600 s * 0.001 tx/s)
    assertThat(ibd.verificationProgress(chain.snapshot())).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void progressIsZeroWhileTheTipsTransactionCountIsUnknown() {
    HeaderNode tip = HeaderTrees.chain(3).getLast(); // counts were never set, as after an old store
    assertThat(ibd(NetworkParameters.REGTEST).verificationProgress(new ChainSnapshot(tip, tip))).isZero();
  }
}
