package io.peerd.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Legacy and BIP155 addresses: wire layout, conversions, and per-network length checks. */
class NetworkAddressTest {
  @Test
  void ipv4IsCarriedIpv4MappedWithABigEndianPort() throws WireException {
    NetworkAddress address = NetworkAddress.of(new InetSocketAddress("10.1.2.3", 8333), 1);
    ByteWriter writer = new ByteWriter();
    address.write(writer);
    assertThat(HexFormat.of().formatHex(writer.toByteArray()))
        .isEqualTo("0100000000000000" + "00000000000000000000ffff0a010203" + "208d");
    NetworkAddress decoded = NetworkAddress.read(new ByteReader(writer.toByteArray()));
    assertThat(decoded).isEqualTo(address);
    assertThat(decoded.toInetAddress()).isInstanceOf(Inet4Address.class);
    assertThat(decoded.toSocketAddress()).isEqualTo(new InetSocketAddress("10.1.2.3", 8333));
  }

  @Test
  void ipv6StaysIpv6() {
    NetworkAddress address = NetworkAddress.of(new InetSocketAddress("2001:db8::1", 18444), 0);
    assertThat(address.toInetAddress()).isInstanceOf(Inet6Address.class);
    assertThat(address.toSocketAddress()).isEqualTo(new InetSocketAddress("2001:db8::1", 18444));
  }

  @Test
  void unresolvedSocketAddressesAreRefused() {
    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("seed.example", 8333);
    assertThatThrownBy(() -> NetworkAddress.of(unresolved, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void addrV2KnownNetworksNeedTheirAddressLength() {
    // IPv6 (network 2) with a 4-byte address.
    assertThatThrownBy(() -> readAddressV2("00000000" + "01" + "02" + "04" + "7f000001" + "208d"))
        .isInstanceOf(WireException.Malformed.class).hasMessageContaining("needs 16");
  }

  @Test
  void addrV2UnknownNetworksTakeAnyLengthUpTo512Bytes() throws WireException {
    String port = "208d";
    AddressV2 longest = readAddressV2("00000000" + "01" + "63" + "fd0002" + "00".repeat(512) + port);
    assertThat(longest.address()).hasSize(AddressV2.MAX_ADDRESS_BYTES);
    assertThat(longest.port()).isEqualTo(8333);
    assertThatThrownBy(() -> readAddressV2("00000000" + "01" + "63" + "fd0102" + "00".repeat(513) + port))
        .isInstanceOf(WireException.Malformed.class).hasMessageContaining("512");
  }

  private static AddressV2 readAddressV2(String hex) throws WireException {
    ByteReader reader = new ByteReader(HexFormat.of().parseHex(hex));
    AddressV2 address = AddressV2.read(reader);
    reader.expectEnd("addrv2 entry");
    return address;
  }
}
