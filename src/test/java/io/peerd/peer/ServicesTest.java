package io.peerd.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServicesTest {
  @Test
  void namesAreCoresLowestBitFirstAndUnknownBitsByTheirPower() {
    assertThat(Services.names(0)).isEmpty();
    assertThat(Services.names(Services.NODE_NETWORK | Services.NODE_WITNESS | Services.NODE_NETWORK_LIMITED))
        .containsExactly("NETWORK", "WITNESS", "NETWORK_LIMITED");
    assertThat(Services.names(1L << 2 | 1L << 6 | 1L << 11)).containsExactly("BLOOM", "COMPACT_FILTERS", "P2P_V2");
    assertThat(Services.names(1L << 4 | 1L << 63)).containsExactly("UNKNOWN[2^4]", "UNKNOWN[2^63]");
  }
}
