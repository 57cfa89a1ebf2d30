package io.peerd.bench;

import io.peerd.chain.Chain;
import io.peerd.chain.NetworkParameters;
import io.peerd.store.ChainStore;
import io.peerd.store.RocksChainStore;
import io.peerd.testing.Branches;
import io.peerd.testing.MemoryChainStore;
import io.peerd.testing.TestChains;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chain thread's share of a header sync, warm: a fresh chain takes {@value #HEADERS} regtest
 * headers in batches of 2,000 (as {@code headers} messages bring them) through {@link
 * Chain#acceptHeaders}, into RocksDB or into the in-memory store tests use (the chain's own work
 * without the store's). One operation is the whole sync; headers/s = {@value #HEADERS} / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class HeaderChainBenchmark {
  static final int HEADERS = 200_000;

  @Param({"rocksdb", "memory"})
  public String store;

  private List<List<BlockHeader>> batches;
  private Path directory;
  private ChainStore chainStore;
  private Chain chain;

  @Setup(Level.Trial)
  public void mine() {
    List<BlockHeader> headers = Branches.headers(TestChains.mine(HEADERS));
    batches = new ArrayList<>();
    for (int from = 0; from < headers.size(); from += Message.MAX_HEADERS) {
      batches.add(headers.subList(from, Math.min(from + Message.MAX_HEADERS, headers.size())));
    }
  }

  @Setup(Level.Iteration)
  public void open() throws IOException {
    if (store.equals("rocksdb")) {
      directory = Files.createTempDirectory("peerd-header-bench");
      chainStore = RocksChainStore.open(directory, "regtest", false);
    } else {
      chainStore = new MemoryChainStore();
    }
    chain = Chain.open(NetworkParameters.REGTEST, chainStore, () -> Long.MAX_VALUE / 2);
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    if (chainStore instanceof RocksChainStore rocks) {
      rocks.close();
      RegtestChainCache.deleteTree(directory);
    }
  }

  @Benchmark
  public int acceptAllHeaders() {
    int accepted = 0;
    for (List<BlockHeader> batch : batches) {
      accepted += chain.acceptHeaders(batch).acceptedCount();
    }
    if (accepted != HEADERS) {
      throw new IllegalStateException("accepted " + accepted + " of " + HEADERS);
    }
    return accepted;
  }
}
