package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DiscouragementTest {
  private static final long DURATION_MILLIS = 1_000;

  @Test
  void anAddressIsDiscouragedUntilItsDurationEnds() {
    Discouragement discouragement = new Discouragement(DURATION_MILLIS, 10);
    discouragement.discourage(ip(1), 5_000);
    assertThat(discouragement.isDiscouraged(ip(1), 5_000)).isTrue();
    assertThat(discouragement.isDiscouraged(ip(1), 5_999)).isTrue();
    assertThat(discouragement.isDiscouraged(ip(2), 5_500)).isFalse();
    assertThat(discouragement.isDiscouraged(ip(1), 6_000)).isFalse();
    assertThat(discouragement.size()).as("an expired entry is forgotten when seen").isZero();
  }

  @Test
  void discouragingAgainRestartsTheDuration() {
    Discouragement discouragement = new Discouragement(DURATION_MILLIS, 10);
    discouragement.discourage(ip(1), 0);
    discouragement.discourage(ip(1), 800);
    assertThat(discouragement.isDiscouraged(ip(1), 1_500)).isTrue();
    assertThat(discouragement.isDiscouraged(ip(1), 1_800)).isFalse();
  }

  @Test
  void atCapacityTheLongestUnrenewedEntryIsForgottenFirst() {
    Discouragement discouragement = new Discouragement(DURATION_MILLIS, 3);
    discouragement.discourage(ip(1), 0);
    discouragement.discourage(ip(2), 1);
    discouragement.discourage(ip(3), 2);
    discouragement.discourage(ip(1), 3); // renewed: now the newest
    discouragement.discourage(ip(4), 4);
    assertThat(discouragement.size()).isEqualTo(3);
    assertThat(discouragement.isDiscouraged(ip(2), 5)).as("oldest unrenewed entry evicted").isFalse();
    assertThat(discouragement.isDiscouraged(ip(1), 5)).isTrue();
    assertThat(discouragement.isDiscouraged(ip(3), 5)).isTrue();
    assertThat(discouragement.isDiscouraged(ip(4), 5)).isTrue();

    discouragement.discourage(ip(5), 6);
    assertThat(discouragement.isDiscouraged(ip(3), 7)).isFalse();
    assertThat(discouragement.isDiscouraged(ip(1), 7)).isTrue();
  }

  private static InetAddress ip(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
