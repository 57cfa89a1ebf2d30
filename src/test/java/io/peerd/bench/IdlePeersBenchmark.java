package io.peerd.bench;

import io.peerd.testing.RawPeer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an idle peer costs a peerd node: a node in its own JVM, {@code N} handshaked peers from
 * {@code N} loopback networks (127.x.y.1, one /24 each) that then say nothing, and the node's live
 * heap after a full GC (jmap -histo:live) before and after they came, per peer, with the classes
 * that grew most. Run it with {@code bin/bench-peers [PEERS]} (default 2,000); not part of bin/test.
 */
public final class IdlePeersBenchmark {
  static final long GOAL_BYTES_PER_PEER = 16 * 1024;
  private static final int CONCURRENT_HANDSHAKES = 32;
  private static final int TOP_CLASSES = 10;
  private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

  private IdlePeersBenchmark() {}

  record ClassUse(long instances, long bytes) {}

  public static void main(String[] args) throws Exception {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    Path dataDir = Files.createTempDirectory("peerd-idle-peers");
    try (PeerdProcess node = PeerdProcess.start(dataDir, -1, List.of("maxinbound=" + (peers + 10)), List.of())) {
      Map<String, ClassUse> before = liveHistogram(node.pid());
      List<RawPeer> connected = connectIdlePeers(new InetSocketAddress("127.0.0.1", node.p2pPort()), peers);
      Thread.sleep(2_000);
      Map<String, ClassUse> after = liveHistogram(node.pid());
      report(peers, connected.size(), before, after);
      for (RawPeer peer : connected) {
        peer.close();
      }
    }
  }

  private static List<RawPeer> connectIdlePeers(InetSocketAddress node, int peers) throws Exception {
    Semaphore inFlight = new Semaphore(CONCURRENT_HANDSHAKES);
    List<Future<RawPeer>> handshakes = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < peers; i++) {
        InetAddress from = InetAddress.getByAddress(new byte[] {127, (byte) (10 + i / 250), (byte) (i % 250), 1});
        inFlight.acquire();
        handshakes.add(threads.submit(() -> {
          try {
            RawPeer peer = RawPeer.connectFrom(from, node);
            peer.handshake();
            return peer;
          } finally {
            inFlight.release();
          }
        }));
      }
    }
    List<RawPeer> connected = new ArrayList<>();
    for (Future<RawPeer> handshake : handshakes) {
      connected.add(handshake.get());
    }
    return connected;
  }

  private static void report(int asked, int connected, Map<String, ClassUse> before, Map<String, ClassUse> after) {
    long grownBytes = total(after) - total(before);
    long perPeer = grownBytes / connected;
    System.out.printf("idle peers: %,d of %,d handshaked; node live heap %,d -> %,d bytes%n", connected, asked,
        total(before), total(after));
    System.out.printf("per idle peer: %,d bytes (%.1f KiB); goal %d KiB: %.2fx the goal%n", perPeer,
        perPeer / 1024.0, GOAL_BYTES_PER_PEER / 1024, (double) perPeer / GOAL_BYTES_PER_PEER);
    System.out.println("grown most, per peer (bytes, instances):");
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), new ClassUse(e.getValue().instances() - use(before, e.getKey()).instances(),
            e.getValue().bytes() - use(before, e.getKey()).bytes())))
        .sorted(Comparator.comparingLong((Map.Entry<String, ClassUse> e) -> e.getValue().bytes()).reversed())
        .limit(TOP_CLASSES)
        .forEach(e -> System.out.printf("  %8.0f  %6.2f  %s%n", (double) e.getValue().bytes() / connected,
            (double) e.getValue().instances() / connected, e.getKey()));
  }

  private static ClassUse use(Map<String, ClassUse> histogram, String className) {
    return histogram.getOrDefault(className, new ClassUse(0, 0));
  }

  private static long total(Map<String, ClassUse> histogram) {
    return histogram.values().stream().mapToLong(ClassUse::bytes).sum();
  }

  /** jmap -histo:live runs a full GC first, so what it counts is what the node still holds. */
  static Map<String, ClassUse> liveHistogram(long pid) throws IOException, InterruptedException {
    Path jmap = Path.of(System.getProperty("java.home"), "bin", "jmap");
    Process process = new ProcessBuilder(jmap.toString(), "-histo:live", Long.toString(pid))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("jmap failed: " + output);
    }
    Map<String, ClassUse> histogram = new HashMap<>();
    for (String line : output.split("\n")) {
      Matcher m = HISTOGRAM_LINE.matcher(line);
      if (m.matches()) {
        histogram.merge(m.group(3), new ClassUse(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
            (a, b) -> new ClassUse(a.instances() + b.instances(), a.bytes() + b.bytes()));
      }
    }
    return histogram;
  }
}
