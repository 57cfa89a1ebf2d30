package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.host;
import static io.peerd.addrman.TestAddresses.hostOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkGroupTest {
  private static NetworkGroup group(String ipLiteral) {
    return NetworkGroup.of(host(ipLiteral));
  }

  @Test
  void ipv4HostsGroupByTheirSixteenBitPrefix() {
    assertThat(group("1.2.3.4")).isEqualTo(group("1.2.200.9"));
    assertThat(group("1.3.3.4")).isNotEqualTo(group("1.2.3.4"));
    assertThat(group("1.2.3.4").bytes()).containsExactly(Network.IPV4.bip155Id(), 1, 2);
  }

  @Test
  void ipv6HostsGroupByTheirThirtyTwoBitPrefix() {
    assertThat(group("2a01:4f8:1::1")).isEqualTo(group("2a01:4f8:ffff:1::2"));
    assertThat(group("2a01:4f9::1")).isNotEqualTo(group("2a01:4f8::1"));
  }

  @Test
  void hurricaneElectricTunnelsGroupByTheirThirtySixBitPrefix() {
    assertThat(group("2001:470:1000::1")).isEqualTo(group("2001:470:1fff::1"));
    assertThat(group("2001:470:2000::1")).isNotEqualTo(group("2001:470:1000::1"));
  }

  @ParameterizedTest(name = "{0} is in 1.2.0.0/16")
  @ValueSource(strings = {
      "2002:102:304::1", // 6to4
      "2001:0:4136:e378:8000:63bf:fefd:fcfb", // Teredo: the client's IPv4 bit-flipped in the last 4 bytes
      "64:ff9b::102:304", // NAT64
      "::ffff:0:102:304", // SIIT
  })
  void ipv6AddressesEmbeddingIpv4AreInTheIpv4Group(String ipv6) {
    assertThat(host(ipv6).network()).isEqualTo(Network.IPV6);
    assertThat(group(ipv6)).isEqualTo(group("1.2.99.99"));
  }

  @Test
  void anIpv4MappedAddressIsTheIpv4Host() {
    byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff01020304");
    Host fromWire = Host.fromWire(Network.IPV6.bip155Id(), mapped).orElseThrow();
    assertThat(fromWire).isEqualTo(host("1.2.3.4"));
    assertThat(NetworkGroup.of(fromWire)).isEqualTo(group("1.2.3.4"));
  }

  @Test
  void localHostsShareOneGroupAndOtherUnroutableHostsAnother() {
    assertThat(group("127.0.0.1")).isEqualTo(group("127.9.9.9")).isEqualTo(group("::1"));
    assertThat(group("10.0.0.1")).isEqualTo(group("192.168.7.7")).isEqualTo(group("fd00::1"));
    assertThat(group("10.0.0.1")).isNotEqualTo(group("127.0.0.1"));
  }

  @Test
  void torAndI2pGroupByTheFirstFourBitsOfTheirAddress() {
    String rest = "11".repeat(31);
    Host tor = hostOf(Network.TORV3, "50" + rest);
    assertThat(NetworkGroup.of(tor)).isEqualTo(NetworkGroup.of(hostOf(Network.TORV3, "5f" + "22".repeat(31))));
    assertThat(NetworkGroup.of(tor)).isNotEqualTo(NetworkGroup.of(hostOf(Network.TORV3, "60" + rest)));
    assertThat(NetworkGroup.of(tor).bytes()).containsExactly(Network.TORV3.bip155Id(), 0x5f);
    Host i2p = hostOf(Network.I2P, "50" + rest);
    assertThat(NetworkGroup.of(i2p)).isNotEqualTo(NetworkGroup.of(tor));
    assertThat(NetworkGroup.of(i2p)).isEqualTo(NetworkGroup.of(hostOf(Network.I2P, "5a" + rest)));
  }

  @Test
  void cjdnsGroupsByTheFourBitsAfterItsConstantFirstByte() {
    String rest = "33".repeat(14);
    Host cjdns = hostOf(Network.CJDNS, "fc10" + rest);
    assertThat(NetworkGroup.of(cjdns)).isEqualTo(NetworkGroup.of(hostOf(Network.CJDNS, "fc1f" + "44".repeat(14))));
    assertThat(NetworkGroup.of(cjdns)).isNotEqualTo(NetworkGroup.of(hostOf(Network.CJDNS, "fc20" + rest)));
    assertThat(NetworkGroup.of(cjdns).bytes()).containsExactly(Network.CJDNS.bip155Id(), 0xfc, 0x1f);
  }

  @Test
  void groupsOfDifferentNetworksNeverMeet() {
    assertThat(group("1.2.3.4")).isNotEqualTo(group("102:304::1"));
    assertThat(NetworkGroup.of(hostOf(Network.CJDNS, "fc00" + "00".repeat(14))))
        .isNotEqualTo(group("fc00::1"));
  }
}
