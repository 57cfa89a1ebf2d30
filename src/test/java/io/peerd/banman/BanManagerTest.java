package io.peerd.banman;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Core's two levels: bans by subnet until a time, and discouraged addresses, each bounded. */
class BanManagerTest {
  private static final long DURATION_MILLIS = 1_000;
  private final BanManager manager = new BanManager(DURATION_MILLIS, 2, 3);

  @Test
  void anAddressIsDiscouragedUntilItsDurationEnds() {
    manager.discourage(ip(1), 5_000);
    assertThat(manager.isDiscouraged(ip(1), 5_000)).isTrue();
    assertThat(manager.isDiscouraged(ip(1), 5_999)).isTrue();
    assertThat(manager.isDiscouraged(ip(2), 5_500)).isFalse();
    assertThat(manager.isDiscouraged(ip(1), 6_000)).isFalse();
    assertThat(manager.contents().discouraged()).as("an expired entry is forgotten when seen").isEmpty();
  }

  @Test
  void discouragingAgainRestartsTheDuration() {
    manager.discourage(ip(1), 0);
    manager.discourage(ip(1), 800);
    assertThat(manager.isDiscouraged(ip(1), 1_500)).isTrue();
    assertThat(manager.isDiscouraged(ip(1), 1_800)).isFalse();
  }

  @Test
  void atCapacityTheLongestUnrenewedDiscouragementIsForgottenFirst() {
    manager.discourage(ip(1), 0);
    manager.discourage(ip(2), 1);
    manager.discourage(ip(3), 2);
    manager.discourage(ip(1), 3); // renewed: now the newest
    manager.discourage(ip(4), 4);
    assertThat(manager.contents().discouraged()).hasSize(3);
    assertThat(manager.isDiscouraged(ip(2), 5)).as("oldest unrenewed entry evicted").isFalse();
    assertThat(manager.isDiscouraged(ip(1), 5)).isTrue();
  }

  @Test
  void aBanCoversItsSubnetUntilItEnds() {
    assertThat(manager.ban(Subnet.parse("10.0.0.0/24"), 100, 200)).isEmpty();
    assertThat(manager.isBanned(ip(7), 199_999)).isTrue();
    assertThat(manager.isBanned(ip10(1, 7), 150_000)).as("another /24").isFalse();
    assertThat(manager.isBanned(ip(7), 200_000)).isFalse();
    assertThat(manager.bans(200_000)).isEmpty();
  }

  @Test
  void aSubnetIsBannedOnceAndBansAreBounded() {
    assertThat(manager.ban(Subnet.parse("10.0.0.1"), 0, 10)).isEmpty();
    assertThat(manager.ban(Subnet.parse("10.0.0.1/32"), 0, 10)).contains("Error: IP/Subnet already banned");
    assertThat(manager.ban(Subnet.parse("10.0.0.2"), 0, 10)).isEmpty();
    assertThat(manager.ban(Subnet.parse("10.0.0.3"), 0, 10)).hasValueSatisfying(r -> assertThat(r).contains("at most 2"));
    assertThat(manager.ban(Subnet.parse("10.0.0.4"), 10, 10)).as("an ended ban").isPresent();
  }

  @Test
  void unbanLiftsTheBanAndTheDiscouragementInsideAndClearLiftsEverything() {
    manager.ban(Subnet.parse("10.0.0.0/24"), 0, 100);
    manager.discourage(ip(9), 0);
    manager.discourage(ip10(5, 5), 0);

    assertThat(manager.unban(Subnet.parse("10.0.0.0/25"))).as("not exactly the banned subnet").isFalse();
    assertThat(manager.unban(Subnet.parse("10.0.0.0/24"))).isTrue();
    assertThat(manager.isBanned(ip(9), 1)).isFalse();
    assertThat(manager.isDiscouraged(ip(9), 1)).isFalse();
    assertThat(manager.isDiscouraged(ip10(5, 5), 1)).isTrue();

    manager.clear();
    assertThat(manager.isDiscouraged(ip10(5, 5), 1)).isFalse();
  }

  @Test
  void everyChangeMarksItDirtyOnce() {
    assertThat(manager.takeDirty()).isFalse();
    manager.discourage(ip(1), 0);
    assertThat(manager.takeDirty()).isTrue();
    assertThat(manager.takeDirty()).isFalse();
    manager.ban(Subnet.parse("10.0.0.0/8"), 0, 10);
    assertThat(manager.takeDirty()).isTrue();
    manager.bans(20_000); // the ban ended: pruned
    assertThat(manager.takeDirty()).isTrue();
  }

  static InetAddress ip(int last) {
    return ip10(0, last);
  }

  static InetAddress ip10(int third, int last) {
    try {
      return InetAddress.getByAddress(new byte[] {10, 0, (byte) third, (byte) last});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
