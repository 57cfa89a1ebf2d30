import io.peerd.api.Header;
import io.peerd.api.Network;
import io.peerd.api.NodeEvent;
import io.peerd.api.PeerdNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * peerd embedded in a Java program: starts a regtest node in a temporary folder, subscribes to
 * its blocks, mines a few and prints each block as it connects. Uses only {@code io.peerd.api}.
 *
 * <p>Usage: {@code java -cp <peerd and its libraries> BlockLogger.java [blocks]} (default 5).
 */
public final class BlockLogger {
  /** BIP173's test program with the regtest prefix: who gets the mined coins does not matter here. */
  private static final String PAY_TO = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
  private static final int QUEUE_EVENTS = 64;

  public static void main(String[] args) throws Exception {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dataDirectory = Files.createTempDirectory("peerd-block-logger");
    CountDownLatch printed = new CountDownLatch(blocks);
    try (PeerdNode node = PeerdNode.builder().network(Network.REGTEST).dataDirectory(dataDirectory).build()) {
      // Subscribe before start so that no block is missed; the handler runs on the subscription's own thread.
      node.subscribe(EnumSet.of(NodeEvent.Kind.BLOCK_CONNECTED), QUEUE_EVENTS, event -> {
        switch (event) {
          case NodeEvent.BlockConnected connected -> {
            print(connected.header());
            printed.countDown();
          }
          case NodeEvent.Missed missed -> System.out.println("missed " + missed.count() + " events: too slow");
          default -> { } // not subscribed to the others
        }
      });
      node.start();
      node.generateToAddress(blocks, PAY_TO);
      if (!printed.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not every block was printed within 30 s");
      }
      System.out.println("tip at height " + node.height() + ": " + node.bestBlockHash());
    } finally {
      deleteRecursively(dataDirectory);
    }
  }

  private static void print(Header header) {
    System.out.println("block " + header.height() + " " + header.hash() + " at "
        + Instant.ofEpochSecond(header.timeSeconds()));
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
