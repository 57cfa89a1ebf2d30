package io.peerd.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.chain.NetworkParameters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Reading a seed list in Core's nodes_*.txt format: numeric IPv4 and IPv6 only, nothing resolved. */
class FixedSeedsTest {
  @Test
  void takesIpv4AndIpv6EntriesAndSkipsWhatPeerdCannotReach() throws Exception {
    String list = """
        # a comment
        127.7.0.1:8333
        [::1]:18444   # a trailing comment
        [fc00:1:2::3]:8333
        abcdefghijklmnop.onion:8333
        23zqyu5dxq3gilx5dihlyjh6tbkwombyaks4pbeyg2pqjvv7putq.b32.i2p:0
        seed.example:8333
        127.7.0.2:99999
        127.7.0.3
        999.1.1.1:8333
        """;

    assertThat(FixedSeeds.parse(list)).containsExactly(
        new InetSocketAddress(InetAddress.getByName("127.7.0.1"), 8333),
        new InetSocketAddress(InetAddress.getByName("::1"), 18444));
  }

  @Test
  void aListLongerThanTheBoundIsCut() {
    String list = "127.0.0.1:8333\n".repeat(FixedSeeds.MAX_SEEDS + 10);

    assertThat(FixedSeeds.parse(list)).hasSize(FixedSeeds.MAX_SEEDS);
  }

  @Test
  void everyNetworksShippedListReadsAndRegtestHasNone() {
    for (NetworkParameters params : new NetworkParameters[] {NetworkParameters.MAINNET, NetworkParameters.TESTNET3,
        NetworkParameters.TESTNET4, NetworkParameters.SIGNET}) {
      assertThat(FixedSeeds.class.getResource("fixed-seeds/" + params.name() + ".txt")).as(params.name()).isNotNull();
      assertThat(FixedSeeds.of(params)).allSatisfy(seed -> assertThat(seed.isUnresolved()).isFalse());
    }
    assertThat(FixedSeeds.of(NetworkParameters.REGTEST)).isEmpty();
  }
}
