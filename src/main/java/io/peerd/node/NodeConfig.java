package io.peerd.node;

import io.peerd.chain.NetworkParameters;
import io.peerd.connmgr.WorkerConfig;
import io.peerd.discovery.NameResolver;
import io.peerd.peer.PeerConfig;
import io.peerd.produce.ProductionConfig;
import io.peerd.rpc.RpcConfig;
import io.peerd.server.ServerConfig;
import io.peerd.sync.SyncConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a node is built from. The listening address may use port 0 (any free port); the
 * address actually bound becomes the peers' advertised address and the server's identity.
 *
 * @param dataDirectory the root data folder; the network's store and cookie live in a folder per network
 * @param listen where to accept peers; null: do not listen
 * @param rpcPort -1 disables RPC, 0 picks a free port
 * @param rpcCredentials rpcuser/rpcpassword; empty: cookie authentication
 * @param watchdogStallMillis an actor with work and no progress this long is reported (default 10 s)
 * @param resolver looks up the DNS seeds (the system's DNS by default)
 * @param metrics where Prometheus metrics are served ({@code GET /metrics}); null: off (the default)
 * @param production block production on an interval, alone or in an HA group; null: none (the default)
 */
public record NodeConfig(
    NetworkParameters params,
    Path dataDirectory,
    InetSocketAddress listen,
    String rpcBind,
    int rpcPort,
    Optional<RpcConfig.Credentials> rpcCredentials,
    PeerConfig peer,
    ServerConfig server,
    SyncConfig sync,
    WorkerConfig worker,
    long watchdogStallMillis,
    NameResolver resolver,
    InetSocketAddress metrics,
    ProductionConfig production) {

  public static final long DEFAULT_WATCHDOG_STALL_MILLIS = 10_000;


  /** Bitcoin Core's default RPC ports. */
  public static int defaultRpcPort(NetworkParameters params) {
    return switch (params.name()) {
      case "main" -> 8332;
      case "testnet3" -> 18332;
      case "testnet4" -> 48332;
      case "signet" -> 38332;
      default -> 18443;
    };
  }

  /**
   * Defaults for {@code params}: listen on all interfaces at the network's port, RPC on
   * 127.0.0.1 at Core's port with cookie authentication, Core's limits and timeouts.
   */
  public static NodeConfig defaults(NetworkParameters params, Path dataDirectory) {
    return new NodeConfig(params, dataDirectory, new InetSocketAddress(params.defaultPort()),
        RpcConfig.DEFAULT_BIND_HOST, defaultRpcPort(params), Optional.empty(), PeerConfig.defaults(params, null),
        ServerConfig.defaults(null, List.of(), false), SyncConfig.defaults(), WorkerConfig.defaults(),
        DEFAULT_WATCHDOG_STALL_MILLIS, NameResolver.SYSTEM, null, null);
  }

  /** The network's own folder inside the data directory. */
  public Path networkDirectory() {
    return networkDirectory(dataDirectory, params);
  }

  /** The folder a network's store, cookie and files live in, inside {@code dataDirectory}. */
  public static Path networkDirectory(Path dataDirectory, NetworkParameters params) {
    return dataDirectory.resolve(params.name());
  }

  public NodeConfig withListen(InetSocketAddress address) {
    return new NodeConfig(params, dataDirectory, address, rpcBind, rpcPort, rpcCredentials, peer, server, sync, worker,
        watchdogStallMillis, resolver, metrics, production);
  }

  public NodeConfig withRpc(String bind, int port, Optional<RpcConfig.Credentials> credentials) {
    return new NodeConfig(params, dataDirectory, listen, bind, port, credentials, peer, server, sync, worker,
        watchdogStallMillis, resolver, metrics, production);
  }

  public NodeConfig withPeer(PeerConfig peerConfig) {
    return new NodeConfig(params, dataDirectory, listen, rpcBind, rpcPort, rpcCredentials, peerConfig, server, sync,
        worker, watchdogStallMillis, resolver, metrics, production);
  }

  public NodeConfig withServer(ServerConfig serverConfig) {
    return new NodeConfig(params, dataDirectory, listen, rpcBind, rpcPort, rpcCredentials, peer, serverConfig, sync,
        worker, watchdogStallMillis, resolver, metrics, production);
  }

  public NodeConfig withSync(SyncConfig syncConfig) {
    return new NodeConfig(params, dataDirectory, listen, rpcBind, rpcPort, rpcCredentials, peer, server, syncConfig,
        worker, watchdogStallMillis, resolver, metrics, production);
  }

  public NodeConfig withWorker(WorkerConfig workerConfig) {
    return new NodeConfig(params, dataDirectory, listen, rpcBind, rpcPort, rpcCredentials, peer, server, sync,
        workerConfig, watchdogStallMillis, resolver, metrics, production);
  }

  public NodeConfig withWatchdogStallMillis(long stallMillis) {
    return new NodeConfig(params, dataDirectory, listen, rpcBind, rpcPort, rpcCredentials, peer, server, sync, worker,
        stallMillis, resolver, metrics, production);
  }

  /** Where DNS seeds are looked up: the system's DNS by default, a test's own resolver otherwise. */
  public NodeConfig withResolver(NameResolver names) {
    return new NodeConfig(params, dataDirectory, listen, rpcBind, rpcPort, rpcCredentials, peer, server, sync, worker,
        watchdogStallMillis, names, metrics, production);
  }

  /** Serve metrics at {@code address} (port 0: any free port); null turns them off. */
  public NodeConfig withMetrics(InetSocketAddress address) {
    return new NodeConfig(params, dataDirectory, listen, rpcBind, rpcPort, rpcCredentials, peer, server, sync, worker,
        watchdogStallMillis, resolver, address, production);
  }

  /** Produce blocks on an interval (regtest), alone or as an HA group's leader; null: do not. */
  public NodeConfig withProduction(ProductionConfig productionConfig) {
    return new NodeConfig(params, dataDirectory, listen, rpcBind, rpcPort, rpcCredentials, peer, server, sync, worker,
        watchdogStallMillis, resolver, metrics, productionConfig);
  }
}
