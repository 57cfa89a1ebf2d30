package io.peerd.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** --metrics: a port alone stays on loopback; any other address must be written out; bad input says what is wrong. */
class MetricsAddressTest {
  @Test
  void aPortAloneServesOnLoopback() {
    InetSocketAddress address = MetricsAddress.parse("9332");
    assertThat(address.getAddress().isLoopbackAddress()).isTrue();
    assertThat(address.getPort()).isEqualTo(9332);
  }

  @Test
  void anotherHostOnlyWhenWrittenOut() {
    assertThat(MetricsAddress.parse("0.0.0.0:9332").getAddress().isAnyLocalAddress()).isTrue();
    assertThat(MetricsAddress.parse("[::1]:9332").getAddress().isLoopbackAddress()).isTrue();
    assertThat(MetricsAddress.parse("192.168.1.7:9332").getAddress().getHostAddress()).isEqualTo("192.168.1.7");
  }

  @Test
  void badInputNamesTheOptionAndTheExpectedForm() {
    for (String bad : new String[] {"", "0", "65536", "99999999999", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:x",
        "[::1"}) {
      assertThatThrownBy(() -> MetricsAddress.parse(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--metrics: ").hasMessageEndingWith("; expected PORT or HOST:PORT");
    }
  }
}
