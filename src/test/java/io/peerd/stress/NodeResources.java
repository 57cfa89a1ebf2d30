package io.peerd.stress;

import static org.awaitility.Awaitility.await;

import io.peerd.node.Node;
import io.peerd.testing.LiveThreads;
import io.peerd.testing.ThreadDump;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a running node holds that a leak would grow: its platform threads (through
 * {@link LiveThreads}), its virtual threads (peers' reader, writer and lifecycle tasks, the
 * accept loop, dials; counted by name in a JDK thread dump, since the JDK lists virtual threads
 * nowhere else), its open sockets (its transport's count, and socket descriptors of the whole
 * process from {@code /proc/self/fd}), its pending timers and the heap in use after a full GC.
 *
 * <p>A baseline is taken with the node started and idle; after the load, every count must come
 * back to it and the heap within {@link #HEAP_SLACK_BYTES}.
 */
record NodeResources(int nodeVirtualThreads, int transportSockets, int socketDescriptors, int descriptors,
    int pendingTimers, long heapUsedBytes) {

  /** Heap the node may keep after the load: generous, since GC and JIT caches move it too. */
  static final long HEAP_SLACK_BYTES = 48L << 20;
  /** The names {@link Node} gives its virtual threads. */
  private static final List<String> NODE_VIRTUAL_PREFIXES = List.of("peer-", "accept-", "dial-", "worker-");

  static NodeResources of(Node node) {
    return new NodeResources(countNodeVirtualThreads(), node.transport().openSocketCount(), countDescriptors(true),
        countDescriptors(false), node.timers().pendingCount(), heapUsedAfterGc());
  }

  /** Platform threads from {@code threads}, then every count back to this baseline, within {@code bound}. */
  void awaitReturnedTo(Node node, LiveThreads threads, Duration bound) {
    threads.awaitNoneAdded(bound);
    await("node resources back to " + this).atMost(bound).pollInSameThread()
        .pollInterval(Duration.ofMillis(100))
        .until(() -> NodeResources.of(node), now -> now.matches(this));
  }

  private boolean matches(NodeResources baseline) {
    return nodeVirtualThreads == baseline.nodeVirtualThreads && transportSockets == baseline.transportSockets
        && socketDescriptors == baseline.socketDescriptors && pendingTimers == baseline.pendingTimers
        && heapUsedBytes <= baseline.heapUsedBytes + HEAP_SLACK_BYTES;
  }

  @Override
  public String toString() {
    return "virtual threads " + nodeVirtualThreads + ", transport sockets " + transportSockets
        + ", socket fds " + socketDescriptors + " (all fds " + descriptors + "), timers " + pendingTimers
        + ", heap " + (heapUsedBytes >> 20) + " MiB";
  }

  private static int countNodeVirtualThreads() {
    return (int) ThreadDump.countNamed(name -> NODE_VIRTUAL_PREFIXES.stream().anyMatch(name::startsWith));
  }

  /**
   * Descriptors of this process; only sockets if {@code socketsOnly} (files such as RocksDB's
   * come and go). -1 where there is no {@code /proc} (not Linux): then only the transport counts.
   */
  private static int countDescriptors(boolean socketsOnly) {
    Path fdDirectory = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fdDirectory)) {
      return -1;
    }
    try (Stream<Path> fds = Files.list(fdDirectory)) {
      return (int) fds.filter(fd -> !socketsOnly || isSocket(fd)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isSocket(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString().startsWith("socket:");
    } catch (IOException e) {
      return false; // closed since listed
    }
  }

  private static long heapUsedAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
