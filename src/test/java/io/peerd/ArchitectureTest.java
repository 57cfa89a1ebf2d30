package io.peerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shape newcomers rely on: packages that depend on each other without cycles, and small files. */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/io/peerd");
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.peerd\\.(\\w+)\\.[A-Z]");
  private static final int MAX_MAIN_FILE_LINES = 450;

  @Test
  void thePackageGraphHasNoCycle() throws IOException {
    Map<String, Set<String>> dependencies = packageDependencies();
    List<String> cycle = findCycle(dependencies);
    assertThat(cycle).as("packages " + dependencies).isEmpty();
  }

  @Test
  void noMainSourceFileIsLongerThan450Lines() throws IOException {
    Set<String> tooLong = new TreeSet<>();
    for (Path file : javaFiles()) {
      long lines = Files.readAllLines(file).size();
      if (lines > MAX_MAIN_FILE_LINES) {
        tooLong.add(MAIN.relativize(file) + " (" + lines + ")");
      }
    }
    assertThat(tooLong).isEmpty();
  }

  private static Map<String, Set<String>> packageDependencies() throws IOException {
    Map<String, Set<String>> dependencies = new HashMap<>();
    for (Path file : javaFiles()) {
      String owner = MAIN.relativize(file.getParent()).toString().replace('/', '.');
      Set<String> used = dependencies.computeIfAbsent(owner, p -> new TreeSet<>());
      Matcher matcher = REFERENCE.matcher(Files.readString(file));
      while (matcher.find()) {
        if (!matcher.group(1).equals(owner)) {
          used.add(matcher.group(1));
        }
      }
    }
    return dependencies;
  }

  /** A cycle as the packages on it, or empty: depth-first search over the dependency edges. */
  private static List<String> findCycle(Map<String, Set<String>> dependencies) {
    Set<String> done = new HashSet<>();
    for (String start : dependencies.keySet()) {
      List<String> cycle = findCycleFrom(start, dependencies, new ArrayList<>(), done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> findCycleFrom(String node, Map<String, Set<String>> dependencies, List<String> path,
      Set<String> done) {
    if (path.contains(node)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      return cycle;
    }
    if (done.contains(node)) {
      return List.of();
    }
    path.add(node);
    for (String next : dependencies.getOrDefault(node, Set.of())) {
      List<String> cycle = findCycleFrom(next, dependencies, path, done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.removeLast();
    done.add(node);
    return List.of();
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }
}
