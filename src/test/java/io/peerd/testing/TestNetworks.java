package io.peerd.testing;

import io.peerd.chain.Checkpoint;
import io.peerd.chain.NetworkParameters;
import java.math.BigInteger;
import java.util.List;

/** Networks with one parameter changed, as Bitcoin Core's tests change them by option. */
public final class TestNetworks {
  private TestNetworks() {}

  /** {@code p} with another minimum chain work, as Core's {@code -minimumchainwork} sets it. */
  public static NetworkParameters withMinimumChainWork(NetworkParameters p, BigInteger minimumChainWork) {
    return copy(p, p.segwitHeight(), p.checkpoints(), minimumChainWork);
  }

  /** {@code p} with segwit active from another height. */
  public static NetworkParameters withSegwitHeight(NetworkParameters p, int segwitHeight) {
    return copy(p, segwitHeight, p.checkpoints(), p.minimumChainWork());
  }

  /** {@code p} with other checkpoints. */
  public static NetworkParameters withCheckpoints(NetworkParameters p, List<Checkpoint> checkpoints) {
    return copy(p, p.segwitHeight(), checkpoints, p.minimumChainWork());
  }

  private static NetworkParameters copy(NetworkParameters p, int segwitHeight, List<Checkpoint> checkpoints,
      BigInteger minimumChainWork) {
    return new NetworkParameters(p.name(), p.magic(), p.defaultPort(), p.genesis(), p.powLimit(),
        p.retargetIntervalBlocks(), p.targetTimespanSeconds(), p.targetSpacingSeconds(), p.allowMinDifficultyBlocks(),
        p.noRetargeting(), p.enforceBip94(), p.bip34Height(), p.bip66Height(), p.bip65Height(), segwitHeight,
        checkpoints, minimumChainWork, p.chainTxData());
  }
}
