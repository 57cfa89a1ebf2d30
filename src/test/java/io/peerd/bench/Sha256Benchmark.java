package io.peerd.bench;

import io.peerd.wire.Sha256;
import java.util.Random;
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
 * The floor for everything else: the JDK's raw SHA-256 throughput on this machine, for an
 * 80-byte header (hashed twice, as block hashes are) and for 1 MB of data (single pass, MB/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Sha256Benchmark {
  @Param({"80", "1000000"})
  public int sizeBytes;

  private byte[] data;

  @Setup
  public void setUp() {
    data = new byte[sizeBytes];
    new Random(1).nextBytes(data);
  }

  /** Double SHA-256, as a header hash or a txid takes it. */
  @Benchmark
  public byte[] doubleSha256() {
    return Sha256.doubleHash(data);
  }

  /** One SHA-256 pass: the raw rate of the JDK's digest. */
  @Benchmark
  public byte[] singleSha256() {
    return Sha256.hash(data, 0, data.length);
  }
}
