package io.peerd.testing;

import io.peerd.chain.NetworkParameters;
import java.math.BigInteger;

/** Networks with one parameter changed, as Bitcoin Core's tests change them by option. */
public final class TestNetworks {
  private TestNetworks() {}

  /** {@code p} with another minimum chain work, as Core's {@code -minimumchainwork} sets it. */
  public static NetworkParameters withMinimumChainWork(NetworkParameters p, BigInteger minimumChainWork) {
    return new NetworkParameters(p.name(), p.magic(), p.defaultPort(), p.genesis(), p.powLimit(),
        p.retargetIntervalBlocks(), p.targetTimespanSeconds(), p.targetSpacingSeconds(), p.allowMinDifficultyBlocks(),
        p.noRetargeting(), p.enforceBip94(), p.bip34Height(), p.bip66Height(), p.bip65Height(), p.segwitHeight(),
        p.checkpoints(), minimumChainWork, p.chainTxData());
  }
}
