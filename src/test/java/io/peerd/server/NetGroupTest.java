package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A network group reads as the prefix an operator would write, in logs and refusal lines. */
class NetGroupTest {
  @Test
  void anIpv4GroupPrintsItsSlash24() throws Exception {
    assertThat(NetGroup.of(InetAddress.getByName("10.1.2.3"))).hasToString("10.1.2.0/24");
  }

  @Test
  void anIpv6GroupPrintsItsSlash64() throws Exception {
    assertThat(NetGroup.of(InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).hasToString("2001:db8:1:2:0:0:0:0/64");
  }

  @Test
  void equalGroupsAreEqualAndPrintAlike() throws Exception {
    NetGroup one = NetGroup.of(InetAddress.getByName("192.168.7.1"));
    NetGroup other = NetGroup.of(InetAddress.getByName("192.168.7.200"));
    assertThat(one).isEqualTo(other).hasSameHashCodeAs(other).hasToString(other.toString());
  }
}
