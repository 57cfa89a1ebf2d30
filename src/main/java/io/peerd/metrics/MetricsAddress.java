package io.peerd.metrics;

import io.peerd.net.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Parses {@code --metrics}: {@code PORT} serves on 127.0.0.1; {@code HOST:PORT} serves on that
 * host, so an address reachable from elsewhere is used only when written out.
 */
public final class MetricsAddress {
  private static final int MAX_PORT = 0xffff;

  private MetricsAddress() {}

  /** @throws IllegalArgumentException naming the option, the bad value and the expected form */
  public static InetSocketAddress parse(String text) {
    String value = text.strip();
    try {
      InetSocketAddress address = !value.isEmpty() && value.chars().allMatch(Character::isDigit)
          ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port(value))
          : HostPort.parse(value, 0);
      if (address.getPort() == 0) {
        throw new IllegalArgumentException("no port from 1 to " + MAX_PORT + " in '" + text + "'");
      }
      return address;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--metrics: " + e.getMessage() + "; expected PORT or HOST:PORT");
    }
  }

  private static int port(String digits) {
    int port = digits.length() > 5 ? -1 : Integer.parseInt(digits);
    if (port < 1 || port > MAX_PORT) {
      throw new IllegalArgumentException("port " + digits + " is not from 1 to " + MAX_PORT);
    }
    return port;
  }
}
