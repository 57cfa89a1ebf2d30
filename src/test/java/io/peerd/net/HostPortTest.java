package io.peerd.net;

import io.peerd.net.HostPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
  private static final int DEFAULT_PORT = 18444;

  @ParameterizedTest(name = "''{0}'' is {1} port {2}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1         | 127.0.0.1       | 18444",
      "127.0.0.1:8333    | 127.0.0.1       | 8333",
      "  10.1.2.3:1      | 10.1.2.3        | 1",
      "10.1.2.3:65535    | 10.1.2.3        | 65535",
      "[::1]             | ::1             | 18444",
      "[::1]:8333        | ::1             | 8333",
      "[2001:db8::7]:9   | 2001:db8::7     | 9",
      "::1               | ::1             | 18444",
      "2001:db8::7       | 2001:db8::7     | 18444",
      "[::ffff:1.2.3.4]:5| 1.2.3.4         | 5"})
  void parsesHostsWithAndWithoutPorts(String text, String expectedHost, int expectedPort) throws Exception {
    InetSocketAddress parsed = HostPort.parse(text, DEFAULT_PORT);
    assertThat(parsed.getAddress()).isEqualTo(java.net.InetAddress.getByName(expectedHost));
    assertThat(parsed.getPort()).isEqualTo(expectedPort);
    assertThat(parsed.isUnresolved()).isFalse();
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @ValueSource(strings = {
      "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:http", "127.0.0.1:99999999999",
      "[::1", "[::1]:", "[::1]:65536", "[::1]:x", "[]:8333", ":8333", "", "   "})
  void refusesBadPortsAndMissingHosts(String text) {
    assertThatThrownBy(() -> HostPort.parse(text, DEFAULT_PORT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text);
  }

  @ParameterizedTest(name = "{0} formats as {1}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1:8333   | 127.0.0.1:8333",
      "[::1]:18444      | [0:0:0:0:0:0:0:1]:18444",
      "[2001:db8::7]:9  | [2001:db8:0:0:0:0:0:7]:9"})
  void formatRoundTrips(String text, String expected) {
    InetSocketAddress parsed = HostPort.parse(text, DEFAULT_PORT);
    assertThat(HostPort.format(parsed)).isEqualTo(expected);
    assertThat(HostPort.parse(HostPort.format(parsed), 1)).isEqualTo(parsed);
  }

  @ParameterizedTest(name = "''{0}'' is refused without a lookup")
  @ValueSource(strings = {"999.1.1.1:8333", "seed.example:8333", "abc.onion:8333", "127.0.0.1", "[::1]",
      "1.2.3:4", "127.0.0.1:70000"})
  void parseNumericRefusesNamesBadAddressesAndMissingPorts(String text) {
    assertThatThrownBy(() -> HostPort.parseNumeric(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "''{0}'' is numeric")
  @ValueSource(strings = {"127.0.0.1:8333", "[::1]:8333", "[2001:db8::7]:9"})
  void parseNumericTakesIpv4AndBracketedIpv6WithAPort(String text) {
    assertThat(HostPort.parseNumeric(text).isUnresolved()).isFalse();
  }
}
