package io.peerd.bench;

import io.peerd.chain.NetworkParameters;
import io.peerd.chain.ProofOfWork;
import io.peerd.testing.MainnetData;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.WireException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Headers decoded + hashed + proof-of-work checked per second, over real mainnet headers 0..438. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderBenchmark {
  private static final int HEADERS = 439;
  private byte[][] headers;

  @Setup
  public void setUp() {
    List<byte[]> blocks = MainnetData.blocks0To438();
    headers = new byte[HEADERS][];
    for (int i = 0; i < HEADERS; i++) {
      headers[i] = Arrays.copyOf(blocks.get(i), BlockHeader.SIZE_BYTES);
    }
  }

  @Benchmark
  @OperationsPerInvocation(HEADERS)
  public int decodeHashAndCheckProofOfWork() throws WireException {
    int valid = 0;
    for (byte[] raw : headers) {
      BlockHeader header = BlockHeader.fromBytes(raw);
      if (ProofOfWork.check(header.hash(), header.bits(), NetworkParameters.MAINNET.powLimit())) {
        valid++;
      }
    }
    return valid;
  }
}
