package io.peerd.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for tests to pick ahead of binding: the ports from {@link #FIRST_PORT} up to the kernel's
 * ephemeral range, which the kernel never hands out by itself. Each JVM walks them from a random
 * start, so test JVMs running side by side rarely try the same one.
 */
final class FixedPorts {
  /** Above the default ports of Bitcoin networks and their RPC (8332-18444), which a node started without options takes. */
  static final int FIRST_PORT = 20_000;
  /** Linux's default lower end of the ephemeral range; other systems start theirs higher. */
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int END_PORT = ephemeralStart();
  private static final AtomicInteger NEXT = new AtomicInteger(
      ThreadLocalRandom.current().nextInt(END_PORT - FIRST_PORT));

  private FixedPorts() {}

  /** The next candidate, wrapping around the range. */
  static int next() {
    return FIRST_PORT + Math.floorMod(NEXT.getAndIncrement(), END_PORT - FIRST_PORT);
  }

  /** Whether a listener can take {@code port} on 127.0.0.1 right now. */
  static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralStart() {
    int start = DEFAULT_EPHEMERAL_START;
    if (Files.isReadable(EPHEMERAL_RANGE)) {
      try {
        // Files.readString trusts the file's size, which /proc may report wrongly; lines are read to the end.
        start = Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).getFirst().trim().split("\\s+")[0]);
      } catch (IOException | NumberFormatException e) {
        // keep the default
      }
    }
    if (start < FIRST_PORT + 1_000) {
      throw new IllegalStateException("the ephemeral port range starts at " + start
          + ", too low to leave tests ports of their own above " + FIRST_PORT);
    }
    return start;
  }
}
