package io.peerd.bench;

import io.peerd.chain.BlockValidator;
import io.peerd.chain.MerkleTree;
import io.peerd.chain.NetworkParameters;
import io.peerd.testing.MainnetData;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.ByteWriter;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import io.peerd.wire.WireException;
import java.util.ArrayList;
import java.util.List;
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
 * (printed in BENCHMARKS.md) for MB/s. {@link #hashingFloor} is what decoding and the merkle check
 * cannot go below with the JDK's SHA-256: only the hashes, over transaction ranges found beforehand.
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
  /** Transaction i spans raw[transactionStarts[i], transactionStarts[i + 1]). */
  private int[] transactionStarts;
  private final BlockValidator validator = new BlockValidator(NetworkParameters.MAINNET);

  @Setup
  public void setUp() throws WireException {
    raw = MainnetData.block(height);
    List<Transaction> transactions = Block.fromBytes(raw).transactions();
    transactionStarts = new int[transactions.size() + 1];
    transactionStarts[0] = BlockHeader.SIZE_BYTES + ByteWriter.varIntSize(transactions.size());
    for (int i = 0; i < transactions.size(); i++) {
      transactionStarts[i + 1] = transactionStarts[i] + transactions.get(i).serializedSize(true);
    }
  }

  /** Each transaction's whole range double-hashed (its txid, short of a segwit one's witness), and the root. */
  @Benchmark
  public MerkleTree.Root hashingFloor() {
    List<Hash> ids = new ArrayList<>(transactionStarts.length - 1);
    for (int i = 0; i + 1 < transactionStarts.length; i++) {
      ids.add(Hash.of(raw, transactionStarts[i], transactionStarts[i + 1] - transactionStarts[i]));
    }
    return MerkleTree.compute(ids);
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
