package io.peerd.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Installs a test's npm package (bcoin in {@code src/test/bcoin}, the bitcoin-core RPC client in
 * {@code src/test/rpc-client}) into its {@code node_modules} with {@code npm ci}, so a clean
 * checkout needs only Node.js 20, npm and, for bcoin, a C++ toolchain (bcoin's murmur3 module has
 * no JavaScript fallback and is compiled at install).
 */
public final class NpmInstall {
  private static final long NPM_CI_TIMEOUT_MILLIS = 10 * 60_000;
  /** Written after a successful install: a crashed or interrupted npm ci leaves no marker. */
  private static final String MARKER = "node_modules/.peerd-package-lock.sha256";
  private static final int LOG_TAIL_CHARS = 4000;

  private NpmInstall() {}

  /**
   * Returns the package folder ({@code src/test/<name>}) once its packages are installed there for
   * its current package-lock.json. Synchronized because the file lock only excludes other JVMs
   * (two threads of one JVM locking the same file get an OverlappingFileLockException instead of
   * waiting).
   */
  public static synchronized Path ensureInstalled(String name) throws IOException, InterruptedException {
    Path packageDir = packageDir(name);
    try (FileChannel lockFile = FileChannel.open(packageDir.resolve(".npm-ci.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      lockFile.lock(); // released when the channel closes
      String lockHash = sha256Hex(packageDir.resolve("package-lock.json"));
      Path marker = packageDir.resolve(MARKER);
      if (!Files.exists(marker) || !Files.readString(marker).equals(lockHash)) {
        runNpmCi(packageDir);
        Files.writeString(marker, lockHash);
      }
    }
    return packageDir;
  }

  /** Surefire runs tests with the module's basedir set; the fallback serves IDE runs from it. */
  private static Path packageDir(String name) {
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path packageDir = moduleDir.resolve("src/test").resolve(name).toAbsolutePath();
    if (!Files.isRegularFile(packageDir.resolve("package-lock.json"))) {
      throw new IllegalStateException("no npm package at " + packageDir
          + " (run the tests from the peerd checkout)");
    }
    return packageDir;
  }

  private static void runNpmCi(Path packageDir) throws IOException, InterruptedException {
    Path log = Files.createTempFile("peerd-npm-ci", ".log");
    Process npm = startNpmCi(packageDir, log);
    boolean finished = npm.waitFor(NPM_CI_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    if (!finished) {
      npm.destroyForcibly().waitFor();
    }
    if (!finished || npm.exitValue() != 0) {
      throw new IllegalStateException((finished ? "npm ci failed with exit code " + npm.exitValue()
          : "npm ci did not finish in " + NPM_CI_TIMEOUT_MILLIS + " ms") + " in " + packageDir
          + "; log " + log + ":\n" + tail(log));
    }
    Files.delete(log);
  }

  private static Process startNpmCi(Path packageDir, Path log) throws IOException {
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
          .directory(packageDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      localNodeHeaders().ifPresent(dir -> builder.environment().put("npm_config_nodedir", dir.toString()));
      return builder.start();
    } catch (IOException e) {
      throw new IOException("these tests need Node.js 20 with npm on the PATH, and `npm` could not"
          + " be started (install e.g. the nodejs and npm packages)", e);
    }
  }

  /**
   * The Node.js headers installed with the distribution's nodejs package (e.g. /usr/include/node),
   * so node-gyp compiles bcoin's native module without downloading headers (no internet in CI).
   */
  private static Optional<Path> localNodeHeaders() {
    for (Path prefix : List.of(Path.of("/usr"), Path.of("/usr/local"))) {
      if (Files.isRegularFile(prefix.resolve("include/node/common.gypi"))) {
        return Optional.of(prefix);
      }
    }
    return Optional.empty();
  }

  /** The end of a log, where npm and node put the error that matters. */
  public static String tail(Path log) throws IOException {
    // Lenient decoding: a log cut mid-character must still be shown.
    String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    return text.substring(Math.max(0, text.length() - LOG_TAIL_CHARS));
  }

  private static String sha256Hex(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
