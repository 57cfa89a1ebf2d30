package io.peerd.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.chain.Chain;
import io.peerd.chain.NetworkParameters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments while a child JVM writes blocks (with reorgs) through the real
 * chain into the real store; after each kill the store must reopen to a consistent best chain
 * that never lost work it had before.
 */
class CrashRecoveryTest {
  private static final int ROUNDS = 25;
  private static final int SIGKILL_EXIT_CODE = 128 + 9;

  @TempDir
  Path directory;

  @Test
  void storeSurvivesSigkillAtRandomMoments() throws Exception {
    Random random = new Random(2026);
    BigInteger previousWork = BigInteger.ZERO;
    int killedWhileWriting = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Process writer = startWriter(random.nextLong());
      awaitReady(writer);
      Thread.sleep(50 + random.nextInt(600));
      boolean stillRunning = writer.isAlive();
      writer.destroyForcibly();
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (stillRunning) {
        assertThat(writer.exitValue()).as("killed by SIGKILL").isEqualTo(SIGKILL_EXIT_CODE);
        killedWhileWriting++;
      }
      previousWork = checkReopens(previousWork, round);
    }
    assertThat(killedWhileWriting).isEqualTo(ROUNDS);
    assertThat(previousWork).as("the writers made progress").isGreaterThan(BigInteger.valueOf(2L * ROUNDS * 2));
  }

  private Process startWriter(long seed) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
        directory.toString(), Long.toString(seed)).redirectErrorStream(true).start();
  }

  private static void awaitReady(Process writer) throws Exception {
    BufferedReader output = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = output.readLine()) != null) {
      if (line.equals(CrashWriter.READY)) {
        return;
      }
    }
    throw new AssertionError("writer exited before writing, code " + writer.waitFor());
  }

  private BigInteger checkReopens(BigInteger previousWork, int round) {
    try (RocksChainStore store = RocksChainStore.open(directory, "regtest")) {
      List<String> violations = StoreInvariants.violations(store);
      assertThat(violations).as("round %d", round).isEmpty();
      Chain chain = Chain.open(NetworkParameters.REGTEST, store, () -> Long.MAX_VALUE / 2);
      assertThat(store.bestTip()).contains(new ChainStore.Tip(chain.tip().height(), chain.tip().hash()));
      assertThat(chain.tip().chainWork()).as("round %d keeps the work written before", round)
          .isGreaterThanOrEqualTo(previousWork);
      return chain.tip().chainWork();
    }
  }
}
