package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.address;
import static io.peerd.addrman.TestAddresses.host;
import static io.peerd.addrman.TestAddresses.hostOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.wire.AddressV2;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostTest {

  @ParameterizedTest(name = "network {0} with {1} is not kept")
  @CsvSource({
      "3, 0102030405060708090a", // Tor v2, retired
      "9, 01020304", // a network id peerd does not know
      "1, 00000000000000000000ffff01020304", // IPv4 with 16 bytes
      "4, 0102", // Tor v3 with 2 bytes
      "2, fd87d87eeb4301020304050607080910", // Tor v2 in OnionCat's IPv6 range
      "2, fd6b88c0872401020304050607080910", // Core's internal names
  })
  void hostsTheManagerDoesNotKeepAreRefused(int networkId, String hex) {
    assertThat(Host.fromWire(networkId, HexFormat.of().parseHex(hex))).isEmpty();
  }

  @Test
  void everyKeptNetworkIsReadFromItsBip155Id() {
    for (Network network : Network.values()) {
      byte[] bytes = new byte[network.addressBytes()];
      bytes[0] = (byte) 0xfc;
      assertThat(Host.fromWire(network.bip155Id(), bytes)).hasValue(new Host(network, bytes));
    }
  }

  @Test
  void anIpv6HostMayNotBeAnIpv4MappedAddress() {
    byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff01020304");
    assertThatThrownBy(() -> new Host(Network.IPV6, mapped)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyIpv4AndIpv6AddressesAreReachableAndDialable() {
    PeerAddress ipv4 = address("1.2.3.4");
    PeerAddress ipv6 = address("2a01:4f8::1");
    PeerAddress tor = new PeerAddress(hostOf(Network.TORV3, "aa".repeat(32)), 9050);
    assertThat(ipv4.isReachable()).isTrue();
    assertThat(ipv6.isReachable()).isTrue();
    assertThat(tor.isReachable()).isFalse();
    assertThat(ipv4.toSocketAddress()).hasValue(new InetSocketAddress(host("1.2.3.4").toInetAddress().orElseThrow(), 8333));
    assertThat(tor.toSocketAddress()).isEmpty();
    assertThat(Network.REACHABLE).containsExactlyInAnyOrder(Network.IPV4, Network.IPV6);
  }

  @Test
  void aSocketAddressAndItsWireFormAreTheSameAddress() {
    PeerAddress fromSocket = PeerAddress.of(new InetSocketAddress(host("1.2.3.4").toInetAddress().orElseThrow(), 8333));
    AddressV2 wire = new AddressV2(0, 0, AddressV2.NETWORK_IPV4, new byte[] {1, 2, 3, 4}, 8333);
    assertThat(PeerAddress.fromWire(wire)).hasValue(fromSocket);
    assertThat(fromSocket.toString()).isEqualTo("1.2.3.4:8333");
  }
}
