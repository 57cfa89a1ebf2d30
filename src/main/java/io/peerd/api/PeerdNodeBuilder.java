package io.peerd.api;

import io.peerd.discovery.DnsSeeds;
import io.peerd.node.Node;
import io.peerd.node.NodeConfig;
import io.peerd.rpc.RpcConfig;
import io.peerd.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link PeerdNode} is made of. Defaults: regtest, no listening (the node only dials),
 * no RPC, Core's connection limits, DNS seeds asked unless {@link #connect} names the peers,
 * subscriptions of {@value #DEFAULT_SUBSCRIPTION_CAPACITY} events. The data directory is required.
 */
public final class PeerdNodeBuilder {
  public static final int DEFAULT_SUBSCRIPTION_CAPACITY = 1024;

  private Network network = Network.REGTEST;
  private Path dataDirectory;
  private InetSocketAddress listen;
  private final List<InetSocketAddress> connect = new ArrayList<>();
  private final List<InetSocketAddress> addPeers = new ArrayList<>();
  /** Null: the server's default (Core's 125). */
  private Integer maxInbound;
  private int rpcPort = -1;
  private boolean dnsSeeds = true;
  private int subscriptionCapacity = DEFAULT_SUBSCRIPTION_CAPACITY;

  PeerdNodeBuilder() {}

  public PeerdNodeBuilder network(Network chosen) {
    this.network = chosen;
    return this;
  }

  /** The root folder; each network gets a folder in it (as {@code --datadir}). */
  public PeerdNodeBuilder dataDirectory(Path directory) {
    this.dataDirectory = directory;
    return this;
  }

  /** Accept peers here (port 0: any free port, see {@link PeerdNode#listenAddress}); null: do not listen. */
  public PeerdNodeBuilder listen(InetSocketAddress address) {
    this.listen = address;
    return this;
  }

  /** Dial only these peers (as {@code --connect}, repeatable): no other outbound connections, no DNS seeds. */
  public PeerdNodeBuilder connect(InetSocketAddress peer) {
    connect.add(peer);
    return this;
  }

  /** Keep a connection to this peer, besides the others (as {@code --addnode}, repeatable). */
  public PeerdNodeBuilder addPeer(InetSocketAddress peer) {
    addPeers.add(peer);
    return this;
  }

  /** Inbound connections accepted (default 125, as {@code --maxconnections}). */
  public PeerdNodeBuilder maxInbound(int connections) {
    if (connections < 0) {
      throw new IllegalArgumentException("maxInbound must not be negative");
    }
    this.maxInbound = connections;
    return this;
  }

  /** Serve the JSON-RPC admin API on 127.0.0.1 (cookie authentication) at this port (0: any free port); -1 (the default): no RPC. */
  public PeerdNodeBuilder rpcPort(int port) {
    this.rpcPort = port;
    return this;
  }

  /** Whether to ask the network's DNS seeds for peers while few addresses are known (default true). */
  public PeerdNodeBuilder dnsSeeds(boolean ask) {
    this.dnsSeeds = ask;
    return this;
  }

  /** The queue of each new subscription, in events (default 1024, at least 2). */
  public PeerdNodeBuilder subscriptionCapacity(int events) {
    if (events < 2) {
      throw new IllegalArgumentException("a subscription holds at least 2 events, not " + events);
    }
    this.subscriptionCapacity = events;
    return this;
  }

  /**
   * Opens the data directory and loads the chain; starts nothing, so subscriptions made before
   * {@link PeerdNode#start} see every event.
   *
   * @throws PeerdException if the data directory cannot be used (the message says why)
   */
  public PeerdNode build() {
    if (dataDirectory == null) {
      throw new IllegalStateException("a data directory is required");
    }
    EventHub hub = new EventHub();
    try {
      return new PeerdNode(Node.open(config(), hub), hub, network, subscriptionCapacity);
    } catch (RuntimeException e) {
      throw new PeerdException(e.getMessage(), e);
    }
  }

  private NodeConfig config() {
    List<InetSocketAddress> persistent = new ArrayList<>(connect);
    persistent.addAll(addPeers);
    boolean connectOnly = !connect.isEmpty();
    ServerConfig defaults = ServerConfig.defaults(null, persistent, connectOnly);
    ServerConfig server = defaults.withMaxInbound(maxInbound == null ? defaults.maxInbound() : maxInbound)
        .withDiscovery(ServerConfig.Discovery.NONE
            .withDnsSeeds(dnsSeeds && !connectOnly ? DnsSeeds.of(network.params()) : List.of()));
    return NodeConfig.defaults(network.params(), dataDirectory).withListen(listen)
        .withRpc(RpcConfig.DEFAULT_BIND_HOST, rpcPort, Optional.empty()).withServer(server);
  }
}
