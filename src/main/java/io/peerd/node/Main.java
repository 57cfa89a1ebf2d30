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
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code peerd} command line, like bitcoind's. Options may also be set in
 * {@code <datadir>/peerd.conf}, one {@code key=value} per line with the option's name as key
 * ({@code regtest=1} for a flag); the command line overrides the file (a network named there
 * replaces the file's), and repeatable options (connect, addnode) from both add up. Exit codes:
 * 0 clean stop (RPC stop, SIGTERM, Ctrl-C), 1 failure to start, 2 bad arguments, 3 a fatal error.
 */
@Command(name = "peerd", mixinStandardHelpOptions = true, version = "peerd 0.1.0",
    description = "A Bitcoin-protocol peer-to-peer node. Runs until Ctrl-C, SIGTERM or RPC stop.")
public final class Main implements Callable<Integer> {
  static final int EXIT_START_FAILED = 1;
  /** An {@link Error} ended one of the node's threads; the node stopped itself. */
  static final int EXIT_FATAL = 3;
  public static final String CONFIG_FILE = "peerd.conf";
  public static final List<String> NETWORK_FLAGS = List.of("--mainnet", "--testnet", "--testnet4", "--signet",
      "--regtest");

  /** The network flags, shared with peerd-cli. */
  public static final class NetworkChoice {
    @Option(names = "--mainnet", description = "Use mainnet.")
    boolean mainnet;
    @Option(names = "--testnet", description = "Use testnet3.")
    boolean testnet;
    @Option(names = "--testnet4", description = "Use testnet4.")
    boolean testnet4;
    @Option(names = "--signet", description = "Use the default signet.")
    boolean signet;
    @Option(names = "--regtest", description = "Use regtest (the default).")
    boolean regtest;

    public boolean chosen() {
      return mainnet || testnet || testnet4 || signet || regtest;
    }

    public NetworkParameters params() {
      return mainnet ? NetworkParameters.MAINNET
          : testnet ? NetworkParameters.TESTNET3
          : testnet4 ? NetworkParameters.TESTNET4
          : signet ? NetworkParameters.SIGNET
          : NetworkParameters.REGTEST;
    }
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  NetworkChoice network = new NetworkChoice();

  @Option(names = "--datadir", paramLabel = "DIR", defaultValue = "data",
      description = "Data directory; each network gets a folder in it (default: ${DEFAULT-VALUE}).")
  Path dataDirectory;

  @Option(names = "--listen", paramLabel = "HOST:PORT",
      description = "Accept peers here (default: all interfaces, the network's port; regtest 18444).")
  String listen;

  @Option(names = "--nolisten", description = "Do not accept inbound peers.")
  boolean noListen;

  @Option(names = "--connect", paramLabel = "HOST[:PORT]",
      description = "Connect only to this peer (repeatable); disables address-book dialing.")
  List<String> connect = new ArrayList<>();

  @Option(names = "--addnode", paramLabel = "HOST[:PORT]", description = "Keep a connection to this peer (repeatable).")
  List<String> addNode = new ArrayList<>();

  @Option(names = "--nodnsseed",
      description = "Do not ask the network's DNS seeds for peers (they are asked while few addresses are known, "
          + "never with --connect).")
  boolean noDnsSeed;

  @Option(names = "--nofixedseeds",
      description = "Do not fall back on the addresses shipped for the network when the address book is empty.")
  boolean noFixedSeeds;

  @Option(names = "--seednode", paramLabel = "HOST[:PORT]",
      description = "Ask this node for peer addresses once at start, then disconnect (repeatable).")
  List<String> seedNode = new ArrayList<>();

  @Option(names = "--whitelist", paramLabel = "[PERMISSIONS@]SUBNET",
      description = "Grant peers from SUBNET permissions, as Core: noban (never discouraged, banned or evicted) by "
          + "default; e.g. noban@127.0.0.1 (repeatable).")
  List<String> whitelist = new ArrayList<>();

  @Option(names = "--maxconnections", paramLabel = "N", defaultValue = "125",
      description = "Maximum inbound connections (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--rpcbind", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "RPC listens here (default: ${DEFAULT-VALUE}).")
  String rpcBind;

  @Option(names = "--rpcport", paramLabel = "PORT",
      description = "RPC port (default: Core's for the network; regtest 18443); -1 turns RPC off.")
  Integer rpcPort;

  @Option(names = "--rpcuser", paramLabel = "USER", description = "RPC user (default: cookie authentication).")
  String rpcUser;

  @Option(names = "--rpcpassword", paramLabel = "PASSWORD", description = "RPC password, with --rpcuser.")
  String rpcPassword;

  @Option(names = "--metrics", paramLabel = "[HOST:]PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics (default: off; PORT alone: 127.0.0.1).")
  String metrics;

  @Option(names = "--produce-interval", paramLabel = "SECONDS",
      description = "Mine a block on the tip every SECONDS (fractions allowed), with or without peers; regtest only.")
  Double produceIntervalSeconds;

  @Option(names = "--produce-address", paramLabel = "ADDRESS",
      description = "Pay produced blocks to ADDRESS (needed with --produce-interval).")
  String produceAddress;

  @Option(names = "--ha-id", paramLabel = "ID",
      description = "This node's id in its HA group: only the group's Raft leader produces (with --ha-peers).")
  String haId;

  @Option(names = "--ha-peers", paramLabel = "ID@HOST:PORT,...",
      description = "Every member of the HA group and where its Raft server listens; the same list on each member.")
  String haPeers;

  @Option(names = "--ha-bind", paramLabel = "HOST:PORT",
      description = "Where this member's Raft server listens, if the others reach it at another address "
          + "(a forward, NAT); default: its own address in --ha-peers.")
  String haBind;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    Main firstPass = new Main();
    CommandLine probe = commandLine(firstPass);
    try {
      probe.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      return usageError(probe, e.getMessage());
    }
    if (probe.isUsageHelpRequested() || probe.isVersionHelpRequested()) {
      return probe.execute(args);
    }
    List<String> fileArgs;
    try {
      fileArgs = configFileArgs(firstPass.dataDirectory.resolve(CONFIG_FILE));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("peerd: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    if (fileArgs.isEmpty()) {
      return probe.execute(args); // picocli resets every option before it parses again
    }
    List<String> all = new ArrayList<>(fileArgs);
    if (firstPass.network != null && firstPass.network.chosen()) {
      all.removeIf(NETWORK_FLAGS::contains); // the command line's network overrides the file's
    }
    all.addAll(List.of(args));
    return commandLine(new Main()).execute(all.toArray(String[]::new));
  }

  private static CommandLine commandLine(Main main) {
    CommandLine commandLine = new CommandLine(main);
    commandLine.setOverwrittenOptionsAllowed(true); // the command line overrides the config file
    commandLine.setParameterExceptionHandler((e, ignored) -> usageError(e.getCommandLine(), e.getMessage()));
    return commandLine;
  }

  private static int usageError(CommandLine commandLine, String message) {
    commandLine.getErr().println("peerd: " + message);
    commandLine.usage(commandLine.getErr());
    return CommandLine.ExitCode.USAGE;
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
      if (isFlag(key)) {
        if (value.equals("1")) {
          args.add("--" + key);
        }
      } else {
        args.add("--" + key + "=" + value);
      }
    }
    return args;
  }

  private static boolean isFlag(String key) {
    return key.equals("nolisten") || NETWORK_FLAGS.contains("--" + key);
  }

  @Override
  public Integer call() throws Exception {
    NodeConfig config;
    try {
      config = nodeConfig();
    } catch (IllegalArgumentException e) {
      System.err.println("peerd: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
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
  private static void startOrClose(Node node) throws Exception {
    try {
      node.start();
    } catch (Exception | Error e) {
      node.close();
      throw e;
    }
  }

  NodeConfig nodeConfig() {
    NetworkParameters params = (network == null ? new NetworkChoice() : network).params();
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
