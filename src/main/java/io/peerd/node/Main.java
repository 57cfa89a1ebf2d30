package io.peerd.node;

import io.peerd.net.HostPort;
import io.peerd.banman.Whitelist;
import io.peerd.chain.Address;
import io.peerd.chain.InvalidAddressException;
import io.peerd.chain.NetworkParameters;
import io.peerd.ha.HaConfig;
import io.peerd.produce.ProductionConfig;
import io.peerd.discovery.DnsSeeds;
import io.peerd.discovery.FixedSeeds;
import io.peerd.server.ServerConfig;
import io.peerd.rpc.RpcConfig;
import io.peerd.store.StoreException;
import io.peerd.metrics.MetricsAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The {@code peerd} command line, like bitcoind's. Options may also be set in
 * {@code <datadir>/peerd.conf}, one {@code key=value} per line with the option's name as key
 * ({@code regtest=1} for a flag); the command line overrides the file (a network named there
 * replaces the file's), and repeatable options (connect, addnode) from both add up. Exit codes:
 * 0 clean stop (RPC stop, SIGTERM, Ctrl-C), 1 failure to start, 2 bad arguments, 3 a fatal error.
 */
public final class Main implements Callable<Integer> {
  static final int EXIT_START_FAILED = 1;
  static final int EXIT_USAGE = 2;
  /** An {@link Error} ended one of the node's threads; the node stopped itself. */
  static final int EXIT_FATAL = 3;
  static final String VERSION = "peerd 0.1.0";
  public static final String CONFIG_FILE = "peerd.conf";
  /** A network's command-line flag, as the node and peerd-cli take it. */
  public record NetworkFlag(String flag, NetworkParameters params, String description) {}

  /** The network flags and what each chooses; at most one may be given. */
  public static final List<NetworkFlag> NETWORKS = List.of(
      new NetworkFlag("--mainnet", NetworkParameters.MAINNET, "Use mainnet."),
      new NetworkFlag("--testnet", NetworkParameters.TESTNET3, "Use testnet3."),
      new NetworkFlag("--testnet4", NetworkParameters.TESTNET4, "Use testnet4."),
      new NetworkFlag("--signet", NetworkParameters.SIGNET, "Use the default signet."),
      new NetworkFlag("--regtest", NetworkParameters.REGTEST, "Use regtest (the default)."));
  /** The network flags, shared with peerd-cli; at most one may be given. */
  public static final List<String> NETWORK_FLAGS = NETWORKS.stream().map(NetworkFlag::flag).toList();
  private static final int DEFAULT_MAX_CONNECTIONS = 125;
  private static final String DEFAULT_DATA_DIRECTORY = "data";
  private static final String DEFAULT_RPC_BIND = "127.0.0.1";

  static final CommandOptions OPTIONS = networkFlags(new CommandOptions("peerd",
      "A Bitcoin-protocol peer-to-peer node. Runs until Ctrl-C, SIGTERM or RPC stop."))
      .exclusive(NETWORK_FLAGS)
      .value("--datadir", "DIR",
          "Data directory; each network gets a folder in it (default: " + DEFAULT_DATA_DIRECTORY + ").")
      .value("--listen", "HOST:PORT",
          "Accept peers here (default: all interfaces, the network's port; regtest 18444).")
      .flag("--nolisten", "Do not accept inbound peers.")
      .repeatable("--connect", "HOST[:PORT]", "Connect only to this peer; disables address-book dialing.")
      .repeatable("--addnode", "HOST[:PORT]", "Keep a connection to this peer.")
      .flag("--nodnsseed", "Do not ask the network's DNS seeds for peers (they are asked while few addresses "
          + "are known, never with --connect).")
      .flag("--nofixedseeds",
          "Do not fall back on the addresses shipped for the network when the address book is empty.")
      .repeatable("--seednode", "HOST[:PORT]", "Ask this node for peer addresses once at start, then disconnect.")
      .repeatable("--whitelist", "[PERMISSIONS@]SUBNET", "Grant peers from SUBNET permissions, as Core: noban "
          + "(never discouraged, banned or evicted) by default; e.g. noban@127.0.0.1.")
      .value("--maxconnections", "N", "Maximum inbound connections (default: " + DEFAULT_MAX_CONNECTIONS + ").")
      .value("--rpcbind", "HOST", "RPC listens here (default: " + DEFAULT_RPC_BIND + ").")
      .value("--rpcport", "PORT", "RPC port (default: Core's for the network; regtest 18443); -1 turns RPC off.")
      .value("--rpcuser", "USER", "RPC user (default: cookie authentication).")
      .value("--rpcpassword", "PASSWORD", "RPC password, with --rpcuser.")
      .value("--metrics", "[HOST:]PORT",
          "Serve Prometheus metrics at http://HOST:PORT/metrics (default: off; PORT alone: 127.0.0.1).")
      .value("--produce-interval", "SECONDS",
          "Mine a block on the tip every SECONDS (fractions allowed), with or without peers; regtest only.")
      .value("--produce-address", "ADDRESS", "Pay produced blocks to ADDRESS (needed with --produce-interval).")
      .value("--ha-id", "ID",
          "This node's id in its HA group: only the group's Raft leader produces (with --ha-peers).")
      .value("--ha-peers", "ID@HOST:PORT,...",
          "Every member of the HA group and where its Raft server listens; the same list on each member.")
      .value("--ha-bind", "HOST:PORT", "Where this member's Raft server listens, if the others reach it at "
          + "another address (a forward, NAT); default: its own address in --ha-peers.");

  NetworkParameters network = NetworkParameters.REGTEST;
  Path dataDirectory = Path.of(DEFAULT_DATA_DIRECTORY);
  String listen;
  boolean noListen;
  List<String> connect = List.of();
  List<String> addNode = List.of();
  boolean noDnsSeed;
  boolean noFixedSeeds;
  List<String> seedNode = List.of();
  List<String> whitelist = List.of();
  int maxConnections = DEFAULT_MAX_CONNECTIONS;
  String rpcBind = DEFAULT_RPC_BIND;
  Integer rpcPort;
  String rpcUser;
  String rpcPassword;
  String metrics;
  Double produceIntervalSeconds;
  String produceAddress;
  String haId;
  String haPeers;
  String haBind;

  /** The parsed options as typed settings; a value of the wrong type is a usage error. */
  static Main of(CommandOptions.Parsed options) throws CommandOptions.UsageException {
    Main main = new Main();
    NETWORK_FLAGS.stream().filter(options::flag).findFirst().ifPresent(flag -> main.network = network(flag));
    main.dataDirectory = Path.of(options.last("--datadir").orElse(DEFAULT_DATA_DIRECTORY));
    main.listen = options.last("--listen").orElse(null);
    main.noListen = options.flag("--nolisten");
    main.connect = options.all("--connect");
    main.addNode = options.all("--addnode");
    main.noDnsSeed = options.flag("--nodnsseed");
    main.noFixedSeeds = options.flag("--nofixedseeds");
    main.seedNode = options.all("--seednode");
    main.whitelist = options.all("--whitelist");
    main.maxConnections = integer(options, "--maxconnections").orElse(DEFAULT_MAX_CONNECTIONS);
    main.rpcBind = options.last("--rpcbind").orElse(DEFAULT_RPC_BIND);
    main.rpcPort = integer(options, "--rpcport").orElse(null);
    main.rpcUser = options.last("--rpcuser").orElse(null);
    main.rpcPassword = options.last("--rpcpassword").orElse(null);
    main.metrics = options.last("--metrics").orElse(null);
    main.produceIntervalSeconds = decimal(options, "--produce-interval").orElse(null);
    main.produceAddress = options.last("--produce-address").orElse(null);
    main.haId = options.last("--ha-id").orElse(null);
    main.haPeers = options.last("--ha-peers").orElse(null);
    main.haBind = options.last("--ha-bind").orElse(null);
    return main;
  }

  private static Optional<Integer> integer(CommandOptions.Parsed options, String name)
      throws CommandOptions.UsageException {
    return typed(options, name, Integer::parseInt, "an int");
  }

  private static Optional<Double> decimal(CommandOptions.Parsed options, String name)
      throws CommandOptions.UsageException {
    return typed(options, name, Double::parseDouble, "a number");
  }

  private static <T> Optional<T> typed(CommandOptions.Parsed options, String name, Function<String, T> parse,
      String typeName) throws CommandOptions.UsageException {
    Optional<String> text = options.last(name);
    try {
      return text.map(parse);
    } catch (NumberFormatException e) {
      throw new CommandOptions.UsageException(
          "Invalid value for option '" + name + "': '" + text.get() + "' is not " + typeName);
    }
  }

  private static CommandOptions networkFlags(CommandOptions options) {
    NETWORKS.forEach(network -> options.flag(network.flag(), network.description()));
    return options;
  }

  /** The network a flag of {@link #NETWORK_FLAGS} names. */
  private static NetworkParameters network(String flag) {
    return NETWORKS.stream().filter(network -> network.flag().equals(flag)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a network flag: " + flag)).params();
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Parses the command line, then once more with the config file's settings before it (the
   * command line's network replacing the file's), and runs the node.
   */
  static int run(String... args) {
    try {
      CommandOptions.Parsed firstPass = OPTIONS.parse(List.of(args));
      if (firstPass.help() || firstPass.version()) {
        System.out.print(firstPass.help() ? OPTIONS.usage() : VERSION + "\n");
        return 0;
      }
      List<String> all = new ArrayList<>();
      try {
        all.addAll(configFileArgs(of(firstPass).dataDirectory.resolve(CONFIG_FILE)));
      } catch (IllegalArgumentException | IOException e) {
        System.err.println("peerd: " + e.getMessage());
        return EXIT_USAGE;
      }
      if (NETWORK_FLAGS.stream().anyMatch(firstPass::flag)) {
        all.removeIf(NETWORK_FLAGS::contains); // the command line's network overrides the file's
      }
      all.addAll(List.of(args));
      return of(OPTIONS.parse(all)).call();
    } catch (CommandOptions.UsageException e) {
      System.err.println("peerd: " + e.getMessage());
      System.err.print(OPTIONS.usage());
      return EXIT_USAGE;
    } catch (Exception e) { // a failure call() does not expect: say all there is
      e.printStackTrace();
      return EXIT_START_FAILED;
    }
  }

  /** {@code key=value} lines as {@code --key=value} arguments; "1"/"0" for flags. */
  public static List<String> configFileArgs(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file)) {
      lineNumber++;
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      int equals = text.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(file + " line " + lineNumber + ": expected key=value, got '" + text + "'");
      }
      String key = text.substring(0, equals).strip();
      String value = text.substring(equals + 1).strip();
      if (OPTIONS.isFlag("--" + key)) {
        if (value.equals("1")) {
          args.add("--" + key);
        }
      } else {
        args.add("--" + key + "=" + value);
      }
    }
    return args;
  }

  @Override
  public Integer call() throws Exception {
    NodeConfig config;
    try {
      config = nodeConfig();
    } catch (IllegalArgumentException e) {
      System.err.println("peerd: " + e.getMessage());
      return EXIT_USAGE;
    }
    Node node;
    try {
      node = Node.open(config);
      startOrClose(node);
    } catch (StoreException | IOException | IllegalStateException e) {
      System.err.println("peerd: " + e.getMessage());
      return EXIT_START_FAILED;
    }
    Thread hook = new Thread(() -> closeAndHalt(node), "peerd-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    node.stopRequested().join();
    node.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook); // stopped by RPC or a fatal error: the caller exits
    } catch (IllegalStateException shutdownInProgress) {
      // a signal stopped the node: the hook is running and ends the JVM with the exit code
    }
    return exitCode(node);
  }

  /**
   * The shutdown hook, run on SIGTERM, Ctrl-C and {@link System#exit}: closes the node, then ends
   * the JVM with the node's own exit code. Left alone, a JVM stopped by a signal exits with 128 +
   * the signal's number (143 after SIGTERM) even after a clean stop, and supervisors would count
   * every planned stop as a failure. Halting here is safe: the node is closed, and peerd
   * registers no other hook. A node stopped otherwise removes this hook first (so a JVM that
   * runs {@link #run} in-process, as tests do, keeps its own exit).
   */
  private static void closeAndHalt(Node node) {
    node.close();
    Runtime.getRuntime().halt(exitCode(node));
  }

  private static int exitCode(Node node) {
    return node.fatalError().isPresent() ? EXIT_FATAL : 0;
  }

  /** A failed start leaves some services running and the store open: closing releases them. */
  static void startOrClose(Node node) throws Exception {
    try {
      node.start();
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
  }

  NodeConfig nodeConfig() {
    NetworkParameters params = network;
    if (maxConnections < 0) {
      throw new IllegalArgumentException("--maxconnections must not be negative");
    }
    if ((rpcUser == null) != (rpcPassword == null)) {
      throw new IllegalArgumentException("--rpcuser and --rpcpassword go together");
    }
    int port = params.defaultPort();
    InetSocketAddress listenAddress = noListen ? null
        : listen == null ? new InetSocketAddress(port) : HostPort.parse(listen, port);
    List<InetSocketAddress> connectPeers = connect.stream().map(a -> HostPort.parse(a, port)).toList();
    List<InetSocketAddress> persistent = new ArrayList<>(connectPeers);
    addNode.stream().map(a -> HostPort.parse(a, port)).forEach(persistent::add);
    NodeConfig defaults = NodeConfig.defaults(params, dataDirectory);
    Optional<RpcConfig.Credentials> credentials = rpcUser == null ? Optional.empty()
        : Optional.of(new RpcConfig.Credentials(rpcUser, rpcPassword));
    return defaults.withListen(listenAddress).withMetrics(metrics == null ? null : MetricsAddress.parse(metrics))
        .withRpc(rpcBind, rpcPort == null ? NodeConfig.defaultRpcPort(params) : rpcPort, credentials)
        .withServer(ServerConfig.defaults(null, persistent, !connectPeers.isEmpty())
            .withMaxInbound(maxConnections).withWhitelist(Whitelist.parse(whitelist))
            .withDiscovery(ServerConfig.Discovery.NONE
                .withDnsSeeds(noDnsSeed || !connectPeers.isEmpty() ? List.of() : DnsSeeds.of(params))
                .withSeedNodes(seedNode.stream().map(a -> HostPort.parse(a, port)).toList())
                .withFixedSeeds(noFixedSeeds ? List.of() : FixedSeeds.of(params))))
        .withProduction(production(params));
  }

  /** --produce-interval and --produce-address, and with --ha-id and --ha-peers the HA group; null: none. */
  private ProductionConfig production(NetworkParameters params) {
    if (produceIntervalSeconds == null) {
      if (produceAddress != null || haId != null || haPeers != null || haBind != null) {
        throw new IllegalArgumentException("--produce-address and the --ha-* options need --produce-interval");
      }
      return null;
    }
    if (!params.equals(NetworkParameters.REGTEST)) {
      throw new IllegalArgumentException("block production (--produce-interval) is for regtest only");
    }
    if (produceAddress == null) {
      throw new IllegalArgumentException("--produce-interval needs --produce-address");
    }
    if ((haId == null) != (haPeers == null)) {
      throw new IllegalArgumentException("--ha-id and --ha-peers go together");
    }
    if (haBind != null && haId == null) {
      throw new IllegalArgumentException("--ha-bind needs --ha-id");
    }
    byte[] payTo;
    try {
      payTo = Address.toScriptPubKey(produceAddress, params);
    } catch (InvalidAddressException e) {
      throw new IllegalArgumentException("--produce-address: " + e.getMessage());
    }
    HaConfig ha = haId == null ? null : new HaConfig(haId, HaConfig.parseMembers(haPeers),
        NodeConfig.networkDirectory(dataDirectory, params).resolve("raft"), HaConfig.DEFAULT_ELECTION_TIMEOUT_MILLIS,
        haBind == null ? null : HostPort.parse(haBind, -1), HaConfig.Compaction.DEFAULT);
    return new ProductionConfig(Math.round(produceIntervalSeconds * 1000), payTo, ha);
  }
}
