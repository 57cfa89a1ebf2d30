package io.peerd.bench;

import io.peerd.chain.BlockValidator;
import io.peerd.chain.MerkleTree;
import io.peerd.chain.NetworkParameters;
import io.peerd.testing.MainnetData;
import io.peerd.wire.Block;
import io.peerd.wire.Transaction;
import io.peerd.wire.WireException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Real blocks decoded and merkle-checked, and fully validated; divide ops/s by the block size
 * (printed in BENCHMARKS.md) for MB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BlockBenchmark {
  /** 481815: ~1 MB legacy block; 481829: ~1 MB with witness data. */
  @Param({"481815", "481829"})
  public int height;

  private byte[] raw;
  private final BlockValidator validator = new BlockValidator(NetworkParameters.MAINNET);

  @Setup
  public void setUp() {
    raw = MainnetData.block(height);
  }

  @Benchmark
  public boolean decodeAndCheckMerkleRoot() throws WireException {
    Block block = Block.fromBytes(raw);
    MerkleTree.Root root = MerkleTree.compute(block.transactions().stream().map(Transaction::txid).toList());
    return root.root().equals(block.header().merkleRoot()) && !root.mutated();
  }

  @Benchmark
  public Block decodeAndValidate() throws Exception {
    Block block = Block.fromBytes(raw);
    validator.check(block, height);
    return block;
  }
}
