package io.peerd.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of {@code examples/embedded-node} runs as its README says: a separate JVM, the
 * source file launched directly against peerd's classes, printing every block it mined.
 */
class EmbeddedExampleTest {
  private static final Path EXAMPLE = Path.of("examples/embedded-node/BlockLogger.java");
  /** JVM start, compiling the source, opening a store, mining: generous for a loaded CI machine. */
  private static final Duration RUN_BOUND = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void theExampleUsesOnlyTheEmbeddingApi() throws Exception {
    List<String> imports = Files.readAllLines(EXAMPLE).stream().filter(line -> line.startsWith("import ")).toList();
    assertThat(imports).isNotEmpty()
        .allSatisfy(line -> assertThat(line).matches("import (io\\.peerd\\.api|java)\\..*"));
  }

  @Test
  void theExamplePrintsTheBlocksItMinedAndExits0() throws Exception {
    Path output = dir.resolve("output.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + dir,
        "-cp", System.getProperty("java.class.path"), EXAMPLE.toString(), "3")
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    try {
      assertThat(process.waitFor(RUN_BOUND.toSeconds(), TimeUnit.SECONDS)).as("ended within %s", RUN_BOUND).isTrue();
    } finally {
      process.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(output);
    assertThat(process.exitValue()).as("exit code; output: %s", lines).isZero();
    assertThat(lines.stream().filter(line -> line.startsWith("block ")).map(line -> line.split(" ")[1]))
        .as("output: %s", lines).containsExactly("1", "2", "3");
    assertThat(lines).anyMatch(line -> line.startsWith("tip at height 3: "));
    try (var left = Files.list(dir)) {
      assertThat(left).as("the example removed its data directory").containsExactly(output);
    }
  }
}
