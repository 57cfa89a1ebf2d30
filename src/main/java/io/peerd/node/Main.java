package io.peerd.node;

import io.peerd.chain.NetworkParameters;
import io.peerd.store.StoreException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code peerd} command line. Exit codes: 0 clean stop, 1 failure to start, 2 bad arguments. */
@Command(name = "peerd", mixinStandardHelpOptions = true, version = "peerd 0.1.0",
    description = "A Bitcoin-protocol peer-to-peer node. Runs until Ctrl-C or SIGTERM.")
public final class Main implements Callable<Integer> {
  static final int EXIT_START_FAILED = 1;

  static final class NetworkChoice {
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

    NetworkParameters params() {
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

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setParameterExceptionHandler((e, ignored) -> {
      e.getCommandLine().getErr().println("peerd: " + e.getMessage());
      e.getCommandLine().usage(e.getCommandLine().getErr());
      return CommandLine.ExitCode.USAGE;
    });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    NetworkParameters params = (network == null ? new NetworkChoice() : network).params();
    Node node;
    try {
      node = Node.open(params, dataDirectory);
    } catch (StoreException e) {
      System.err.println("peerd: " + e.getMessage());
      return EXIT_START_FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "peerd-shutdown"));
    stopped.await();
    return 0;
  }
}
