package io.peerd.banman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubnetTest {
  @Test
  void hostBitsAreClearedSoEqualNetworksCompareEqual() {
    assertThat(Subnet.parse("10.1.2.3/16")).isEqualTo(Subnet.parse("10.1.0.0/16"));
    assertThat(Subnet.parse("10.1.2.3/16")).hasToString("10.1.0.0/16");
    assertThat(Subnet.parse("10.1.2.3")).hasToString("10.1.2.3/32");
    assertThat(Subnet.parse("2001:db8::1/32")).hasToString("2001:db8:0:0:0:0:0:0/32");
  }

  @Test
  void containsOnlyAddressesOfItsFamilyAndPrefix() throws Exception {
    Subnet ten = Subnet.parse("10.0.0.0/8");
    assertThat(ten.contains(InetAddress.getByName("10.255.1.1"))).isTrue();
    assertThat(ten.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThat(ten.contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(Subnet.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
    assertThat(Subnet.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8:ffff::7"))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "10.0.0.256", "10.0.0.1/33", "10.0.0.1/x", "", "::1/129", "1.2.3"})
  void anythingButANumericAddressAndAValidPrefixIsRefused(String text) {
    assertThatThrownBy(() -> Subnet.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
