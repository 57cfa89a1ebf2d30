package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.testing.MainnetData;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkParametersTest {
  @Test
  void genesisHashesAreThePublishedOnes() {
    Map<NetworkParameters, String> published = Map.of(
        NetworkParameters.MAINNET, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
        NetworkParameters.TESTNET3, "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943",
        NetworkParameters.TESTNET4, "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043",
        NetworkParameters.SIGNET, "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6",
        NetworkParameters.REGTEST, "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206");
    published.forEach((params, hash) -> assertThat(params.genesisHash()).as(params.name()).hasToString(hash));
  }

  @Test
  void mainnetGenesisIsByteIdenticalToTheRealBlock() {
    assertThat(NetworkParameters.MAINNET.genesis().serialize(true)).isEqualTo(MainnetData.blocks0To438().get(0));
  }

  @Test
  void genesisBlocksPassTheirOwnProofOfWorkAndBlockChecks() throws VerificationException {
    for (NetworkParameters params : NetworkParameters.ALL) {
      assertThat(ProofOfWork.check(params.genesisHash(), params.genesis().header().bits(), params.powLimit()))
          .as(params.name()).isTrue();
      new BlockValidator(params).check(params.genesis(), 0);
    }
  }

  @Test
  void mainnetCheckpointsMatchTheCheckpointFile() {
    Map<Integer, io.peerd.wire.Hash> fromFile = new java.util.HashMap<>();
    for (MainnetData.CheckpointRecord record : MainnetData.checkpoints()) {
      fromFile.put(record.height(), io.peerd.wire.Hash.of(record.header()));
    }
    assertThat(NetworkParameters.MAINNET.checkpoints()).isNotEmpty()
        .allSatisfy(c -> assertThat(fromFile.get(c.height())).isEqualTo(c.hash()));
  }

  /** Core 30.0's values: a public network's minimum is far above its genesis, regtest's is none. */
  @Test
  void everyNetworkHasCoresMinimumChainWorkMaxTipAgeAndChainTxData() {
    for (NetworkParameters params : NetworkParameters.ALL) {
      assertThat(params.maxTipAgeSeconds()).as(params.name()).isEqualTo(24 * 60 * 60);
      if (params == NetworkParameters.REGTEST) {
        assertThat(params.minimumChainWork()).isZero();
        assertThat(params.chainTxData()).isEqualTo(new NetworkParameters.ChainTxData(0, 0, 0.001));
        continue;
      }
      BigInteger genesisWork = ProofOfWork.work(params.genesis().header().bits());
      assertThat(params.minimumChainWork()).as(params.name()).isGreaterThan(genesisWork.shiftLeft(16));
      NetworkParameters.ChainTxData data = params.chainTxData();
      assertThat(data.timeSeconds()).as(params.name()).isGreaterThan(params.genesis().header().time());
      assertThat(data.txCount()).as(params.name()).isGreaterThan(1_000_000);
      assertThat(data.txRatePerSecond()).as(params.name()).isPositive();
    }
    assertThat(NetworkParameters.MAINNET.minimumChainWork())
        .isEqualTo(new BigInteger("dee8e2a309ad8a9820433c68", 16));
    assertThat(NetworkParameters.MAINNET.chainTxData())
        .isEqualTo(new NetworkParameters.ChainTxData(1756722903L, 1235299397L, 5.456290459519495));
  }

  @Test
  void looksUpNetworksByCoreNames() {
    assertThat(NetworkParameters.byName("main")).contains(NetworkParameters.MAINNET);
    assertThat(NetworkParameters.byName("testnet")).contains(NetworkParameters.TESTNET3);
    assertThat(NetworkParameters.byName("TESTNET4")).contains(NetworkParameters.TESTNET4);
    assertThat(NetworkParameters.byName("signet")).contains(NetworkParameters.SIGNET);
    assertThat(NetworkParameters.byName("regtest")).contains(NetworkParameters.REGTEST);
    assertThat(NetworkParameters.byName("litecoin")).isEmpty();
  }

  @Test
  void powLimitBitsAreTheNetworksEasiestDifficulty() {
    assertThat(NetworkParameters.MAINNET.powLimitBits()).isEqualTo(0x1d00ffff);
    assertThat(NetworkParameters.SIGNET.powLimitBits()).isEqualTo(0x1e0377ae);
    assertThat(NetworkParameters.REGTEST.powLimitBits()).isEqualTo(0x207fffff);
  }

  @Test
  void subsidyHalvesEveryIntervalOnEachNetwork() {
    assertThat(NetworkParameters.REGTEST.subsidySatoshis(149)).isEqualTo(5_000_000_000L);
    assertThat(NetworkParameters.REGTEST.subsidySatoshis(150)).isEqualTo(2_500_000_000L);
    assertThat(NetworkParameters.MAINNET.subsidySatoshis(209_999)).isEqualTo(5_000_000_000L);
    assertThat(NetworkParameters.MAINNET.subsidySatoshis(840_000)).isEqualTo(312_500_000L);
    assertThat(NetworkParameters.MAINNET.subsidySatoshis(64 * 210_000)).isZero();
  }
}
