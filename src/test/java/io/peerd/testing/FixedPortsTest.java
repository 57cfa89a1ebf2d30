package io.peerd.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports picked ahead of binding come from outside the kernel's ephemeral range, new each time, free when handed out. */
class FixedPortsTest {
  private static final int PICKS = 200;

  @Test
  void freePortsAreNewFreeAndBelowWhatTheKernelHandsOut() throws Exception {
    int ephemeralExample;
    try (ServerSocket kernelPicked = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ephemeralExample = kernelPicked.getLocalPort();
    }
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < PICKS; i++) {
      int port = TestNodes.freePort();
      assertThat(port).isBetween(FixedPorts.FIRST_PORT, ephemeralExample - 1);
      assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
      assertThat(FixedPorts.bindable(port)).isTrue();
    }
  }

  @Test
  void aPortSomeoneListensOnIsNotBindable() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(FixedPorts.bindable(taken.getLocalPort())).isFalse();
    }
  }
}
