package io.peerd.discovery;

import io.peerd.chain.NetworkParameters;
import io.peerd.net.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
      if (entry.isEmpty() || seeds.size() == MAX_SEEDS) {
        continue;
      }
      try {
        InetSocketAddress seed = HostPort.parseNumeric(entry);
        if (seed.getPort() > 0 && !isCjdns(seed.getAddress())) {
          seeds.add(seed);
        }
      } catch (IllegalArgumentException notNumeric) {
        // a Tor, I2P or named entry: peerd does not reach those networks
      }
    }
    return List.copyOf(seeds);
  }

  /** CJDNS addresses share IPv6's syntax but live in fc00::/8, reachable only over CJDNS. */
  private static boolean isCjdns(InetAddress host) {
    return host instanceof Inet6Address && host.getAddress()[0] == CJDNS_PREFIX;
  }
}
