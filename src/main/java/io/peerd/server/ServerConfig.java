package io.peerd.server;

import io.peerd.addrman.RoutingPolicy;
import io.peerd.banman.Whitelist;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * @param listenAddress our listening address, also our identity in the simultaneous-dial
 *     tie-break (null: not listening)
 * @param connectOnly with --connect: dial only the persistent peers, never the address book
 * @param maxInbound inbound connections accepted (default 125)
 * @param maxOutboundFull outbound full-relay connections from the address book (default 8)
 * @param maxOutboundBlockRelay outbound block-relay-only connections (default 2)
 * @param maxHandshakingPerNetGroup unfinished inbound handshakes per /24 or /64 (default 8)
 * @param discourageMillis how long a misbehaving IP is refused (default 24 h)
 * @param maxDiscouraged discouraged IPs remembered; the oldest are forgotten first
 * @param maxPendingInbound accepted sockets queued for the server; past it they are closed
 * @param dialTimeoutMillis TCP connect timeout (default 10 s)
 * @param tickMillis how often outbound slots are refilled
 * @param persistentPeers --connect / --addnode peers, each owned by a connection worker
 * @param banFile where bans and discouraged addresses are kept (null: in memory only)
 * @param whitelist --whitelist: permissions by subnet
 * @param discourageLocalPeers discourage a misbehaving local (loopback) peer too; off by default,
 *     as in Core, since on one machine 127.0.0.1 is every local process
 * @param discovery where addresses come from and are kept: the address file, which addresses are
 *     accepted, DNS seeds, feelers
 */
public record ServerConfig(
    InetSocketAddress listenAddress,
    boolean connectOnly,
    int maxInbound,
    int maxOutboundFull,
    int maxOutboundBlockRelay,
    int maxHandshakingPerNetGroup,
    long discourageMillis,
    int maxDiscouraged,
    int maxPendingInbound,
    int dialTimeoutMillis,
    long tickMillis,
    List<InetSocketAddress> persistentPeers,
    Path banFile,
    Whitelist whitelist,
    boolean discourageLocalPeers,
    Discovery discovery) {

  /**
   * How the server finds peers.
   *
   * @param addressFile where the address manager is kept (null: in memory only)
   * @param routingPolicy which gossiped addresses are kept; null: by network (regtest accepts
   *     local and private ones, the public networks only publicly routable ones)
   * @param dnsSeeds looked up while the address manager is nearly empty (--dnsseed)
   * @param seedNodes asked for addresses once at start, then left (--seednode)
   * @param fixedSeeds added to an empty address manager when nothing else filled it (--fixedseeds)
   * @param feelerIntervalMillis the mean time between feelers, made once the outbound slots are full
   *     (Core's 2 minutes)
   */
  public record Discovery(Path addressFile, RoutingPolicy routingPolicy, List<String> dnsSeeds,
      List<InetSocketAddress> seedNodes, List<InetSocketAddress> fixedSeeds, long feelerIntervalMillis) {
    public static final Discovery NONE = new Discovery(null, null, List.of(), List.of(), List.of(), 120_000);

    public Discovery {
      dnsSeeds = List.copyOf(dnsSeeds);
      seedNodes = List.copyOf(seedNodes);
      fixedSeeds = List.copyOf(fixedSeeds);
    }

    public Discovery withAddressFile(Path file) {
      return new Discovery(file, routingPolicy, dnsSeeds, seedNodes, fixedSeeds, feelerIntervalMillis);
    }

    public Discovery withRoutingPolicy(RoutingPolicy policy) {
      return new Discovery(addressFile, policy, dnsSeeds, seedNodes, fixedSeeds, feelerIntervalMillis);
    }

    public Discovery withDnsSeeds(List<String> seeds) {
      return new Discovery(addressFile, routingPolicy, seeds, seedNodes, fixedSeeds, feelerIntervalMillis);
    }

    public Discovery withSeedNodes(List<InetSocketAddress> nodes) {
      return new Discovery(addressFile, routingPolicy, dnsSeeds, nodes, fixedSeeds, feelerIntervalMillis);
    }

    public Discovery withFixedSeeds(List<InetSocketAddress> seeds) {
      return new Discovery(addressFile, routingPolicy, dnsSeeds, seedNodes, seeds, feelerIntervalMillis);
    }

    public Discovery withFeelerIntervalMillis(long intervalMillis) {
      return new Discovery(addressFile, routingPolicy, dnsSeeds, seedNodes, fixedSeeds, intervalMillis);
    }
  }

  public ServerConfig {
    persistentPeers = List.copyOf(persistentPeers);
    if (maxInbound < 0 || maxOutboundFull < 0 || maxOutboundBlockRelay < 0 || maxHandshakingPerNetGroup <= 0) {
      throw new IllegalArgumentException("connection limits must not be negative");
    }
  }

  public static ServerConfig defaults(InetSocketAddress listenAddress, List<InetSocketAddress> persistentPeers,
      boolean connectOnly) {
    return new ServerConfig(listenAddress, connectOnly, 125, 8, 2, 8, 24L * 60 * 60 * 1000, 50_000, 64, 10_000,
        1_000, persistentPeers, null, Whitelist.NONE, false, Discovery.NONE);
  }

  public ServerConfig withListenAddress(InetSocketAddress address) {
    return new ServerConfig(address, connectOnly, maxInbound, maxOutboundFull, maxOutboundBlockRelay,
        maxHandshakingPerNetGroup, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers, banFile, whitelist, discourageLocalPeers, discovery);
  }

  public ServerConfig withMaxInbound(int inbound) {
    return new ServerConfig(listenAddress, connectOnly, inbound, maxOutboundFull, maxOutboundBlockRelay,
        maxHandshakingPerNetGroup, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers, banFile, whitelist, discourageLocalPeers, discovery);
  }

  public ServerConfig withMaxHandshakingPerNetGroup(int handshaking) {
    return new ServerConfig(listenAddress, connectOnly, maxInbound, maxOutboundFull, maxOutboundBlockRelay,
        handshaking, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers, banFile, whitelist, discourageLocalPeers, discovery);
  }

  public ServerConfig withBanFile(Path file) {
    return new ServerConfig(listenAddress, connectOnly, maxInbound, maxOutboundFull, maxOutboundBlockRelay,
        maxHandshakingPerNetGroup, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers, file, whitelist, discourageLocalPeers, discovery);
  }

  public ServerConfig withWhitelist(Whitelist entries) {
    return new ServerConfig(listenAddress, connectOnly, maxInbound, maxOutboundFull, maxOutboundBlockRelay,
        maxHandshakingPerNetGroup, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers, banFile, entries, discourageLocalPeers, discovery);
  }

  public ServerConfig withDiscourageLocalPeers(boolean discourage) {
    return new ServerConfig(listenAddress, connectOnly, maxInbound, maxOutboundFull, maxOutboundBlockRelay,
        maxHandshakingPerNetGroup, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers, banFile, whitelist, discourage, discovery);
  }

  public ServerConfig withDiscovery(Discovery finding) {
    return new ServerConfig(listenAddress, connectOnly, maxInbound, maxOutboundFull, maxOutboundBlockRelay,
        maxHandshakingPerNetGroup, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers, banFile, whitelist, discourageLocalPeers, finding);
  }

  /**
   * Peers RPC may add (addnode add), and apart from them, addnode onetry connections: as Core's
   * MAX_ADDNODE_CONNECTIONS.
   */
  public static final int MAX_ADDED_PEERS = 8;

  /**
   * Every peer the server may hold at once: the bound behind its bounded-by-construction messages.
   * Configured and RPC-added persistent peers, onetry connections, one feeler, the stale-tip
   * extra peer, the seed nodes, and slack for connections displaced or closing but not yet done.
   */
  public int maxPeers() {
    return maxInbound + maxOutboundFull + maxOutboundBlockRelay + persistentPeers.size() + 2 * MAX_ADDED_PEERS + 2
        + discovery.seedNodes().size() + 64;
  }
}
