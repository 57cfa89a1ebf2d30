package io.peerd.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses "host", "host:port", "[v6]" and "[v6]:port" into a resolved socket address. */
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
