package io.peerd.bench;

import io.peerd.chain.BlockBuilder;
import io.peerd.chain.Chain;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.store.RocksChainStore;
import io.peerd.wire.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Blocks accepted per second through the chain into RocksDB (one atomic batch each), with the
 * default policy (WAL, no fsync per batch: survives kill -9) and with fsync per batch
 * (survives power loss). Each
 * operation mines a regtest block (about two hashes) and accepts it, so the figure is mostly the write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBenchmark {
  @Param({"false", "true"})
  public boolean syncWrites;

  /** Padding in each block's coinbase output, so blocks have a realistic size. */
  @Param({"1000"})
  public int blockBytes;

  private Path directory;
  private RocksChainStore store;
  private Chain chain;
  private BlockBuilder builder;
  private long extraNonce;

  @Setup(Level.Iteration)
  public void open() throws IOException {
    directory = Files.createTempDirectory("peerd-store-bench");
    store = RocksChainStore.open(directory, "regtest", syncWrites);
    chain = Chain.open(NetworkParameters.REGTEST, store, () -> Long.MAX_VALUE / 2);
    builder = new BlockBuilder(NetworkParameters.REGTEST);
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** Mines one block (about 2 double-SHA256s on regtest) and accepts it: mostly the store write. */
  @Benchmark
  public Chain.BlockOutcome mineAndAcceptBlock() {
    HeaderNode tip = chain.tip();
    Block block = builder.mine(tip, new byte[blockBytes], extraNonce++, 1_700_000_000L + tip.height());
    return chain.acceptBlock(block, block.serialize(true)).outcome();
  }
}
