package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.address;
import static io.peerd.addrman.TestAddresses.hostOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.chain.NetworkParameters;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutingPolicyTest {

  @ParameterizedTest(name = "{0} is refused on public networks, kept on regtest")
  @ValueSource(strings = {
      "127.0.0.1", "0.1.2.3", "::1", // local
      "10.1.1.1", "172.16.0.1", "172.31.255.1", "192.168.1.1", // RFC 1918
      "198.18.0.1", "169.254.1.1", "100.64.0.1", // benchmarking, link-local, shared NAT
      "192.0.2.1", "198.51.100.1", "203.0.113.1", // documentation
      "fe80::1", "fc00::1", "fd12:3456::1", "2001:10::1", "2001:20::1", // link-local, unique local, ORCHID
  })
  void privateAndLocalAddressesAreKeptOnlyByThePermissivePolicy(String ipLiteral) {
    PeerAddress address = address(ipLiteral);
    assertThat(RoutingPolicy.STRICT.accepts(address)).isFalse();
    assertThat(RoutingPolicy.PERMISSIVE.accepts(address)).isTrue();
  }

  @ParameterizedTest(name = "{0} is refused by both policies")
  @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "::", "2001:db8::1"})
  void invalidAddressesAreRefusedByBothPolicies(String ipLiteral) {
    assertThat(RoutingPolicy.STRICT.accepts(address(ipLiteral))).isFalse();
    assertThat(RoutingPolicy.PERMISSIVE.accepts(address(ipLiteral))).isFalse();
  }

  @ParameterizedTest(name = "{0} is kept by both policies")
  @ValueSource(strings = {"1.2.3.4", "172.32.0.1", "100.128.0.1", "2a01:4f8::1", "2002:102:304::1"})
  void publicAddressesAreKeptByBothPolicies(String ipLiteral) {
    assertThat(RoutingPolicy.STRICT.accepts(address(ipLiteral))).isTrue();
    assertThat(RoutingPolicy.PERMISSIVE.accepts(address(ipLiteral))).isTrue();
  }

  @Test
  void overlayNetworksAreRoutableAndCjdnsMustStartWithFc() {
    assertThat(RoutingPolicy.STRICT.accepts(new PeerAddress(hostOf(Network.TORV3, "ab".repeat(32)), 9050))).isTrue();
    assertThat(RoutingPolicy.STRICT.accepts(new PeerAddress(hostOf(Network.CJDNS, "fc" + "ab".repeat(15)), 8333))).isTrue();
    assertThat(RoutingPolicy.PERMISSIVE.accepts(new PeerAddress(hostOf(Network.CJDNS, "fd" + "ab".repeat(15)), 8333)))
        .isFalse();
  }

  @Test
  void portZeroCannotBeDialedSoNeitherPolicyKeepsItButOnI2pWhichHasNoPorts() {
    PeerAddress portZero = new PeerAddress(address("1.2.3.4").host(), 0);
    assertThat(RoutingPolicy.STRICT.accepts(portZero)).isFalse();
    assertThat(RoutingPolicy.PERMISSIVE.accepts(portZero)).isFalse();
    assertThat(RoutingPolicy.STRICT.accepts(new PeerAddress(hostOf(Network.I2P, "ab".repeat(32)), 0))).isTrue();
  }

  @Test
  void onlyRegtestIsPermissive() {
    assertThat(RoutingPolicy.forNetwork(NetworkParameters.REGTEST)).isEqualTo(RoutingPolicy.PERMISSIVE);
    for (NetworkParameters network : List.of(NetworkParameters.MAINNET, NetworkParameters.TESTNET3,
        NetworkParameters.TESTNET4, NetworkParameters.SIGNET)) {
      assertThat(RoutingPolicy.forNetwork(network)).isEqualTo(RoutingPolicy.STRICT);
    }
  }

  @Test
  void theStrictManagerNeverAddsAnUnroutableAddressAndTheRegtestOneDoes() {
    List<PeerAddress> local = List.of(address("127.0.0.1"), address("192.168.1.10"), address("10.0.0.2"));
    var clock = TestAddresses.clock();
    AddressManager strict = TestAddresses.manager(RoutingPolicy.STRICT, clock, 1);
    AddressManager permissive = TestAddresses.manager(RoutingPolicy.PERMISSIVE, clock, 1);
    Host source = TestAddresses.host("127.0.0.1");
    assertThat(strict.add(TestAddresses.wire(local, clock.get()), source, 0)).isZero();
    assertThat(strict.size()).isZero();
    assertThat(permissive.add(TestAddresses.wire(local, clock.get()), source, 0)).isEqualTo(3);
    assertThat(permissive.size()).isEqualTo(3);
  }
}
