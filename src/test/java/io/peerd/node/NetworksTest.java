package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworksTest {
  @ParameterizedTest
  @CsvSource({
      "1.2.3.4, ipv4", "8.8.8.8, ipv4", "172.32.0.1, ipv4", "100.128.0.1, ipv4", "198.20.0.1, ipv4",
      "2a01:4f8::1, ipv6", "2001:db9::1, ipv6", "fe80:0:0:1::1, ipv6",
      "127.0.0.1, not_publicly_routable", "0.0.0.0, not_publicly_routable", "10.1.2.3, not_publicly_routable",
      "172.31.255.255, not_publicly_routable", "192.168.1.1, not_publicly_routable",
      "100.64.0.1, not_publicly_routable", "169.254.1.1, not_publicly_routable", "198.19.0.1, not_publicly_routable",
      "192.0.2.7, not_publicly_routable", "198.51.100.7, not_publicly_routable", "203.0.113.7, not_publicly_routable",
      "::1, not_publicly_routable", "::, not_publicly_routable", "fd00::1, not_publicly_routable",
      "fe80::1, not_publicly_routable", "2001:10::1, not_publicly_routable", "2001:2f::1, not_publicly_routable",
      "2001:db8::1, not_publicly_routable"})
  void namesAreCoresWithItsUnroutableRanges(String address, String network) throws Exception {
    assertThat(Networks.name(InetAddress.getByName(address))).isEqualTo(network);
  }
}
