package io.peerd.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Parses "host", "host:port", "[v6]" and "[v6]:port" into a resolved socket address, or, where no
 * name may be looked up, numeric addresses only.
 */
public final class HostPort {
  private HostPort() {}

  public static InetSocketAddress parse(String text, int defaultPort) {
    String host = text.strip();
    int port = defaultPort;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in " + text);
      }
      String rest = host.substring(close + 1);
      host = host.substring(1, close);
      if (!rest.isEmpty()) {
        port = parsePort(rest.startsWith(":") ? rest.substring(1) : rest, text);
      }
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      port = parsePort(host.substring(host.indexOf(':') + 1), text);
      host = host.substring(0, host.indexOf(':'));
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in '" + text + "'");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve '" + host + "'");
    }
  }

  /**
   * {@code IPv4:PORT} or {@code [IPv6]:PORT} with a numeric address; anything else, a name
   * included, is refused with an {@link IllegalArgumentException}, never looked up.
   */
  public static InetSocketAddress parseNumeric(String text) {
    String entry = text.strip();
    int colon = entry.startsWith("[") ? entry.indexOf("]:") + 1 : entry.lastIndexOf(':');
    if (colon <= 0 || (!entry.startsWith("[") && entry.indexOf(':') != colon)) {
      throw new IllegalArgumentException("not IPv4:PORT or [IPv6]:PORT: '" + text + "'");
    }
    String host = entry.substring(0, colon);
    return new InetSocketAddress(numericAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host),
        parsePort(entry.substring(colon + 1), text));
  }

  /** A numeric IPv4 or IPv6 address; a name is refused, never looked up. */
  public static InetAddress numericAddress(String address) {
    boolean ipv4 = address.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        && Arrays.stream(address.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
    boolean ipv6 = address.contains(":") && address.matches("[0-9A-Fa-f:.]+");
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException("not a numeric IP address: " + address);
    }
    try {
      return InetAddress.getByName(address); // a literal: no name lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
  }

  private static int parsePort(String port, String text) {
    try {
      int value = Integer.parseInt(port);
      if (value < 0 || value > 0xffff) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + text + "'");
    }
  }

  /** host:port as an operator writes it, [v6]:port for IPv6. */
  public static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
