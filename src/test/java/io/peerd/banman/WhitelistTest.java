package io.peerd.banman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhitelistTest {
  @Test
  void anEntryWithoutPermissionsGrantsCoresDefaultsNobanAmongThem() throws Exception {
    Whitelist whitelist = Whitelist.parse(List.of("127.0.0.0/8"));
    assertThat(whitelist.grants(InetAddress.getByName("127.0.0.5"), Permission.NOBAN)).isTrue();
    assertThat(whitelist.grants(InetAddress.getByName("10.0.0.5"), Permission.NOBAN)).isFalse();
  }

  @Test
  void namedPermissionsAddUpOverEntries() throws Exception {
    Whitelist whitelist = Whitelist.parse(List.of("addr@10.0.0.0/8", "noban,relay@10.1.0.0/16"));
    InetAddress inBoth = InetAddress.getByName("10.1.2.3");
    assertThat(whitelist.grants(inBoth, Permission.ADDR)).isTrue();
    assertThat(whitelist.grants(inBoth, Permission.NOBAN)).isTrue();
    assertThat(whitelist.grants(inBoth, Permission.RELAY)).isTrue();
    assertThat(whitelist.grants(inBoth, Permission.MEMPOOL)).isFalse();
    assertThat(whitelist.grants(InetAddress.getByName("10.2.0.1"), Permission.NOBAN)).isFalse();
  }

  @Test
  void anUnknownPermissionOrABadSubnetIsAnErrorNamingIt() {
    assertThatThrownBy(() -> Whitelist.parse(List.of("sudo@10.0.0.0/8"))).hasMessageContaining("sudo")
        .hasMessageContaining("noban");
    assertThatThrownBy(() -> Whitelist.parse(List.of("noban@localhost"))).hasMessageContaining("localhost");
  }
}
