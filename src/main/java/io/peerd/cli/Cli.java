package io.peerd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.node.Main;
import io.peerd.node.NodeConfig;
import io.peerd.rpc.RpcConfig;
import io.peerd.rpc.RpcJson;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code peerd-cli}, peerd's bitcoin-cli: sends one JSON-RPC call to a node and prints the result
 * as bitcoin-cli does. Authenticates with {@code --rpcuser}/{@code --rpcpassword}, or else with the
 * cookie the node writes in its network's folder; the node's {@code peerd.conf} may give the port,
 * credentials and network. Exit codes as bitcoin-cli's: 0 on success, the
 * absolute value of the RPC error code when the call fails, 1 for anything else (no connection,
 * no credentials, bad arguments).
 */
@Command(name = "peerd-cli", mixinStandardHelpOptions = true, version = "peerd-cli 0.1.0",
    description = "Sends a JSON-RPC call to a peerd node and prints its result (as bitcoin-cli).")
public final class Cli implements Callable<Integer> {
  static final int EXIT_FAILURE = 1;
  /** The node's options the client takes from its config file. */
  private static final List<String> CONFIG_KEYS = List.of("--rpcport", "--rpcuser", "--rpcpassword");
  /** Core's -rpcclienttimeout default: a long call (generatetoaddress) may take minutes. */
  private static final long CALL_TIMEOUT_SECONDS = 900;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The network a flag named ({@link #networkFlags}); null for none: regtest. */
  private NetworkParameters network;

  @Option(names = "--datadir", paramLabel = "DIR", defaultValue = "data",
      description = "The node's data directory, for its cookie (default: ${DEFAULT-VALUE}).")
  Path dataDirectory;

  @Option(names = "--rpcconnect", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "The node's RPC host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--rpcport", paramLabel = "PORT",
      description = "The node's RPC port (default: Core's for the network; regtest 18443).")
  Integer port;

  @Option(names = "--rpcuser", paramLabel = "USER", description = "RPC user (default: the cookie).")
  String user;

  @Option(names = "--rpcpassword", paramLabel = "PASSWORD", description = "RPC password.")
  String password;

  @Option(names = {"-named", "--named"},
      description = "Arguments are name=value (others go, in order, into 'args'), sent as named parameters.")
  boolean named;

  @Parameters(index = "0", arity = "0..1", paramLabel = "METHOD", description = "The RPC method, e.g. getblockcount, help.")
  String method;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments: JSON where Core's table says so, else strings.")
  List<String> args = new ArrayList<>();

  private final PrintStream out;
  private final PrintStream err;

  Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /**
   * Runs one command line, printing to {@code out} and {@code err}; returns the exit code. As
   * bitcoin-cli reads bitcoin.conf, the node's {@code <datadir>/peerd.conf} gives the RPC port,
   * user, password and network the command line does not.
   */
  static int run(PrintStream out, PrintStream err, String... args) {
    Cli firstPass = new Cli(out, err);
    CommandLine probe = commandLine(firstPass);
    try {
      probe.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("Error parsing command line arguments: " + e.getMessage());
      return EXIT_FAILURE;
    }
    if (probe.isUsageHelpRequested() || probe.isVersionHelpRequested()) {
      return probe.execute(args);
    }
    List<String> all;
    try {
      all = configFileArgs(firstPass.dataDirectory.resolve(Main.CONFIG_FILE),
          firstPass.network != null);
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      return EXIT_FAILURE;
    }
    all.addAll(List.of(args));
    return commandLine(new Cli(out, err)).execute(all.toArray(String[]::new));
  }

  private static CommandLine commandLine(Cli cli) {
    CommandLine commandLine = new CommandLine(cli);
    commandLine.getCommandSpec().addArgGroup(networkFlags(cli));
    commandLine.setStopAtPositional(true); // "-1" after the method is an argument, not an option
    commandLine.setOverwrittenOptionsAllowed(true); // the command line overrides the config file
    commandLine.setOut(new PrintWriter(cli.out, true));
    commandLine.setErr(new PrintWriter(cli.err, true));
    return commandLine;
  }

  /** The node's network flags ({@link Main#NETWORKS}), at most one; the one given sets {@code cli}'s network. */
  private static ArgGroupSpec networkFlags(Cli cli) {
    ArgGroupSpec.Builder group = ArgGroupSpec.builder().exclusive(true).multiplicity("0..1");
    for (Main.NetworkFlag flag : Main.NETWORKS) {
      group.addArg(OptionSpec.builder(flag.flag()).description(flag.description()).arity("0").type(boolean.class)
          .setter(new ISetter() {
            @Override
            public <T> T set(T value) {
              if (Boolean.TRUE.equals(value)) {
                cli.network = flag.params();
              }
              return null;
            }
          }).build());
    }
    return group.build();
  }

  /** The config file's settings the client uses; its network only when the command line names none. */
  private static List<String> configFileArgs(Path file, boolean networkChosen) throws IOException {
    List<String> used = new ArrayList<>();
    for (String arg : Main.configFileArgs(file)) {
      boolean network = Main.NETWORK_FLAGS.contains(arg);
      if (network ? !networkChosen : CONFIG_KEYS.stream().anyMatch(key -> arg.startsWith(key + "="))) {
        used.add(arg);
      }
    }
    return used;
  }

  @Override
  public Integer call() throws InterruptedException {
    try {
      if (method == null) {
        throw new IllegalArgumentException("too few parameters (need at least command)");
      }
      JsonNode params = named ? ParamConversion.named(method, args) : ParamConversion.positional(method, args);
      return print(send(request(params)));
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      return EXIT_FAILURE;
    }
  }

  private String request(JsonNode params) throws IOException {
    ObjectNode request = RpcJson.MAPPER.createObjectNode();
    request.put("method", method);
    request.set("params", params);
    request.put("id", 1);
    return RpcJson.MAPPER.writeValueAsString(request);
  }

  /** Prints as bitcoin-cli: a result to out, an error to err; returns the exit code. */
  private int print(RpcReplyText reply) {
    if (!reply.failed()) {
      String text = ResultFormat.format(reply.resultJson());
      if (!text.isEmpty()) {
        out.println(text);
      }
      return 0;
    }
    err.println(ErrorFormat.format(reply.error()));
    return ErrorFormat.exitCode(reply.error());
  }

  private RpcReplyText send(String body) throws IOException, InterruptedException {
    int rpcPort = port != null ? port : NodeConfig.defaultRpcPort(params());
    String address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + rpcPort;
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + "/"))
        .timeout(Duration.ofSeconds(CALL_TIMEOUT_SECONDS))
        .header("Content-Type", "application/json")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            credentials().getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT).build()) {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("Could not connect to the server " + address + "\n\n"
          + "Make sure the peerd node is running and that you are connecting to the correct RPC port.", e);
    }
    return reply(response);
  }

  /** Core's checks of the HTTP answer before it reads the JSON. */
  private static RpcReplyText reply(HttpResponse<String> response) throws IOException {
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new IOException("Authorization failed: Incorrect rpcuser or rpcpassword");
    }
    if (status >= 400 && status != 400 && status != 404 && status != 500) {
      throw new IOException("server returned HTTP error " + status);
    }
    if (response.body().isEmpty()) {
      throw new IOException("no response from server");
    }
    try {
      return RpcReplyText.parse(response.body());
    } catch (IOException e) {
      throw new IOException("couldn't parse reply from server");
    }
  }

  private NetworkParameters params() {
    return network == null ? NetworkParameters.REGTEST : network;
  }

  /** {@code user:password}: the options', or else the node's cookie file. */
  private String credentials() throws IOException {
    if (password != null) {
      return (user == null ? "" : user) + ":" + password;
    }
    Path cookie = NodeConfig.networkDirectory(dataDirectory, params()).resolve(RpcConfig.COOKIE_FILE_NAME);
    try {
      return Files.readString(cookie, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IOException("Could not locate RPC credentials. No authentication cookie could be found ("
          + cookie + "), and RPC password is not set. See --rpcpassword.");
    }
  }
}
