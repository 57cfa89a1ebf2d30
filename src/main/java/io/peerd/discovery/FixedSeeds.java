package io.peerd.discovery;

import io.peerd.chain.NetworkParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fixed seeds: node addresses shipped with peerd, the last resort when the address manager is
 * empty and neither DNS seeds nor seed nodes filled it. Each network's list is the resource
 * {@code fixed-seeds/<network>.txt} next to this class, in the format of Bitcoin Core's
 * {@code contrib/seeds/nodes_*.txt}: one {@code IPv4:port} or {@code [IPv6]:port} per line, {@code #}
 * comments. Only numeric IPv4 and IPv6 entries are taken (never a name to resolve); Tor, I2P and
 * CJDNS entries are skipped, as peerd does not reach those networks.
 */
public final class FixedSeeds {
  /** Larger than any list Core ships (about 1,500 entries per network); a longer file is cut here. */
  static final int MAX_SEEDS = 4_096;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6_BRACKETED = Pattern.compile("\\[[0-9a-fA-F:.]+]");
  private static final byte CJDNS_PREFIX = (byte) 0xfc;

  private FixedSeeds() {}

  /** The list shipped for {@code params}' network; empty where none is shipped (regtest). */
  public static List<InetSocketAddress> of(NetworkParameters params) {
    String resource = "fixed-seeds/" + params.name() + ".txt";
    try (InputStream in = FixedSeeds.class.getResourceAsStream(resource)) {
      return in == null ? List.of() : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fixed seeds " + resource, e);
    }
  }

  /** The IPv4 and IPv6 entries of a seed list; anything else on a line is skipped. */
  public static List<InetSocketAddress> parse(String text) {
    List<InetSocketAddress> seeds = new ArrayList<>();
    for (String line : text.split("\n")) {
      String entry = line.replaceFirst("#.*", "").strip();
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || seeds.size() == MAX_SEEDS) {
        continue;
      }
      InetAddress host = numericHost(entry.substring(0, colon));
      int port = port(entry.substring(colon + 1));
      if (host != null && port > 0 && !isCjdns(host)) {
        seeds.add(new InetSocketAddress(host, port));
      }
    }
    return List.copyOf(seeds);
  }

  private static InetAddress numericHost(String host) {
    if (!IPV4.matcher(host).matches() && !IPV6_BRACKETED.matcher(host).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(host); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      return port <= 65_535 ? port : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** CJDNS addresses share IPv6's syntax but live in fc00::/8, reachable only over CJDNS. */
  private static boolean isCjdns(InetAddress host) {
    return host instanceof Inet6Address && host.getAddress()[0] == CJDNS_PREFIX;
  }
}
