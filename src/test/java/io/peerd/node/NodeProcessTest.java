package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * peerd as an operator runs it: a separate JVM running {@link Main} with the README's flags,
 * stopped by RPC or by SIGTERM within a bound, leaving a store that reopens at the same height.
 */
class NodeProcessTest {
  /** JVM start, store open and RPC up; generous for a loaded CI machine. */
  private static final Duration START_BOUND = Duration.ofSeconds(60);
  private static final Duration EXIT_BOUND = Duration.ofSeconds(15);
  private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
  /** Enough for the training run to sync blocks (header and block download), few enough to be quick. */
  private static final int TRAINING_BLOCKS = 200;

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process process : processes) {
      if (process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly); // bin/node-java's training JVM
        process.destroyForcibly();
        process.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void rpcStopEndsTheProcessWithExitCode0() throws Exception {
    Path datadir = dir.resolve("data");
    Started node = startNode(datadir);
    assertThat(node.rpc.call("generatetoaddress", 2, TestNodes.REGTEST_ADDRESS)).hasSize(2);

    assertThat(node.rpc.call("stop").asText()).isEqualTo("peerd stopping");

    assertExits(node, 0);
    assertThat(datadir.resolve("regtest/.cookie")).doesNotExist();
    assertReopensAtHeight(datadir, 2);
  }

  @Test
  void sigtermEndsTheProcessWithExitCode0AndTheStoreReopensAtTheSameHeight() throws Exception {
    Path datadir = dir.resolve("data");
    Started node = startNode(datadir);
    assertThat(node.rpc.call("generatetoaddress", 3, TestNodes.REGTEST_ADDRESS)).hasSize(3);

    node.process.destroy(); // SIGTERM

    assertExits(node, 0); // a clean stop, not the JVM's 128 + 15
    assertThat(datadir.resolve("regtest/.cookie")).as("the shutdown hook closed the node").doesNotExist();
    assertReopensAtHeight(datadir, 3);
  }

  /**
   * The README runs a node with {@code bin/run-node}, which builds a jar first; a test cannot run
   * Maven inside Maven, so it checks that the script hands the operator's arguments to the main
   * class these tests start, through {@code bin/node-java} (tested below).
   */
  @Test
  void binRunNodeStartsTheMainClassTheseTestsStart() throws IOException {
    List<String> execLines = Files.readAllLines(Path.of("bin/run-node")).stream()
        .filter(line -> line.startsWith("exec ")).toList();
    assertThat(execLines).singleElement().satisfies(line -> assertThat(line)
        .startsWith("exec bin/node-java ")
        .endsWith(" " + Main.class.getName() + " \"$@\""));
    assertThat(Files.readString(Path.of("bin/node-java"))).contains(NATIVE_ACCESS);
  }

  /**
   * {@code bin/node-java} as {@code bin/run-node} uses it, over a jar of the main classes: the
   * first start makes the start-up cache (its training run syncs blocks between two nodes) and the
   * node starts; the next start loads peerd's classes from that cache (the JVM's class-load log says
   * so), the sync's among them, and stops cleanly.
   */
  @Test
  void binNodeJavaMakesAStartUpCacheThenStartsFromIt() throws Exception {
    Path cache = dir.resolve("start-cache");
    String classpath = jarOfMainClasses() + File.pathSeparator + dependencyJars();

    Started first = startNode(dir.resolve("first"), nodeJava(cache, classpath),
        Map.of("PEERD_TRAINING_BLOCKS", Integer.toString(TRAINING_BLOCKS)));
    first.process.destroy();
    assertExits(first, 0);
    assertThat(Files.readAllLines(first.log)).as("peerd's own console logging, at INFO")
        .anyMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] Node - peerd started: .*"));
    assertThat(cache.resolve("native")).isDirectoryContaining(path -> path.toString().contains("rocksdbjni"));

    Path classLoads = dir.resolve("class-loads.txt");
    Started second = startNode(dir.resolve("second"), nodeJava(cache, classpath),
        Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classLoads));
    second.process.destroy();
    assertExits(second, 0);
    List<String> loaded = Files.readAllLines(classLoads);
    // On JDK 25+ the cache holds the classes the training loaded, also those only a block download
    // loads; on JDK 21-24 (a CDS archive of the first start, no training) those of a start.
    List<String> cached = Runtime.version().feature() >= 25
        ? List.of(Node.class.getName(), "io.peerd.sync.BlockDownload$Request") : List.of(Node.class.getName());
    for (String className : cached) {
      assertThat(loaded).anyMatch(line -> line.contains(" " + className + " source: shared objects file"));
    }
    if (Runtime.version().feature() >= 25) {
      assertACacheOlderThanAJarIsMadeAgain(cache, classpath);
    }
  }

  /** A rebuilt jar would make the JVM refuse the cache and start without it: node-java makes it again. */
  private void assertACacheOlderThanAJarIsMadeAgain(Path cache, String classpath) throws Exception {
    Path aot = cache.resolve("peerd.aot");
    Path jar = Path.of(classpath.split(File.pathSeparator)[0]);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(aot).toMillis() + 2_000));
    List<String> command = new ArrayList<>(nodeJava(cache, classpath));
    command.add("--version");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("version.log").toFile());
    builder.environment().put("PEERD_TRAINING_BLOCKS", Integer.toString(TRAINING_BLOCKS));
    Process process = builder.start();
    processes.add(process);
    assertThat(process.waitFor(START_BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(Files.getLastModifiedTime(aot)).as("made again; output: %s", Files.readString(dir.resolve("version.log")))
        .isGreaterThan(Files.getLastModifiedTime(jar));
  }

  // ------------------------------------------------------------ helpers

  private record Started(Process process, NodeRpcClient rpc, Path log) {}

  /** Starts {@code java -cp <test classpath> io.peerd.node.Main --regtest ...} and waits for RPC. */
  private Started startNode(Path datadir) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    return startNode(datadir, List.of(java, NATIVE_ACCESS, "-cp", System.getProperty("java.class.path"),
        Main.class.getName()), Map.of());
  }

  /** Starts {@code launcher} (a command ending in the main class) on regtest and waits for RPC. */
  private Started startNode(Path datadir, List<String> launcher, Map<String, String> environment)
      throws IOException {
    int p2pPort = TestNodes.freePort();
    int rpcPort = TestNodes.freePort();
    Path log = dir.resolve("node-" + processes.size() + ".log");
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("--regtest", "--datadir", datadir.toString(),
        "--listen", "127.0.0.1:" + p2pPort, "--rpcport", String.valueOf(rpcPort)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    processes.add(process);
    NodeRpcClient rpc = NodeRpcClient.withCookie(rpcPort, datadir.resolve("regtest"));
    await("peerd answers RPC; its output is in " + log).atMost(START_BOUND).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast("peerd exited", () -> !process.isAlive())
        .until(() -> rpc.call("getblockcount").asInt() == 0);
    return new Started(process, rpc, log);
  }

  private static List<String> nodeJava(Path cache, String classpath) {
    return List.of("bin/node-java", cache.toString(), classpath, Main.class.getName());
  }

  /** The main classes as a jar: class caches hold no classes loaded from directories. */
  private Path jarOfMainClasses() throws Exception {
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = dir.resolve("peerd.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private static String dependencyJars() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static void assertExits(Started node, int exitCode) throws Exception {
    assertThat(node.process.waitFor(EXIT_BOUND.toSeconds(), TimeUnit.SECONDS))
        .as("exited within %s; output: %s", EXIT_BOUND, Files.readString(node.log)).isTrue();
    assertThat(node.process.exitValue()).as("exit code; output: %s", Files.readString(node.log)).isEqualTo(exitCode);
  }

  private static void assertReopensAtHeight(Path datadir, int height) throws Exception {
    try (Node reopened = TestNodes.start(TestNodes.regtest(datadir))) {
      assertThat(reopened.snapshot().tipHeight()).isEqualTo(height);
    }
  }
}
