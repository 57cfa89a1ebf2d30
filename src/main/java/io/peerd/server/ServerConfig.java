package io.peerd.server;

import java.net.InetSocketAddress;
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
    List<InetSocketAddress> persistentPeers) {

  public ServerConfig {
    persistentPeers = List.copyOf(persistentPeers);
    if (maxInbound < 0 || maxOutboundFull < 0 || maxOutboundBlockRelay < 0 || maxHandshakingPerNetGroup <= 0) {
      throw new IllegalArgumentException("connection limits must not be negative");
    }
  }

  public static ServerConfig defaults(InetSocketAddress listenAddress, List<InetSocketAddress> persistentPeers,
      boolean connectOnly) {
    return new ServerConfig(listenAddress, connectOnly, 125, 8, 2, 8, 24L * 60 * 60 * 1000, 50_000, 64, 10_000,
        1_000, persistentPeers);
  }

  public ServerConfig withListenAddress(InetSocketAddress address) {
    return new ServerConfig(address, connectOnly, maxInbound, maxOutboundFull, maxOutboundBlockRelay,
        maxHandshakingPerNetGroup, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers);
  }

  public ServerConfig withMaxInbound(int inbound) {
    return new ServerConfig(listenAddress, connectOnly, inbound, maxOutboundFull, maxOutboundBlockRelay,
        maxHandshakingPerNetGroup, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers);
  }

  public ServerConfig withMaxHandshakingPerNetGroup(int handshaking) {
    return new ServerConfig(listenAddress, connectOnly, maxInbound, maxOutboundFull, maxOutboundBlockRelay,
        handshaking, discourageMillis, maxDiscouraged, maxPendingInbound, dialTimeoutMillis, tickMillis,
        persistentPeers);
  }

  /**
   * Peers RPC may add (addnode add), and apart from them, addnode onetry connections: as Core's
   * MAX_ADDNODE_CONNECTIONS.
   */
  public static final int MAX_ADDED_PEERS = 8;

  /**
   * Every peer the server may hold at once: the bound behind its bounded-by-construction messages.
   * Configured and RPC-added persistent peers, onetry connections, and slack for connections
   * displaced or closing but not yet done.
   */
  public int maxPeers() {
    return maxInbound + maxOutboundFull + maxOutboundBlockRelay + persistentPeers.size() + 2 * MAX_ADDED_PEERS + 64;
  }
}
