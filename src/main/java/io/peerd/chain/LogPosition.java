package io.peerd.chain;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Where an entry stands in a replicated log (a Raft term and index). The chain stores the position
 * of the last entry it applied in the same atomic write as that entry's block, so after a crash it
 * resumes right after what it holds: nothing skipped, nothing applied twice.
 */
public record LogPosition(long term, long index) {
  /** The store fact this position is kept under. */
  static final String FACT = "replicated-log-position";
  private static final int ENCODED_BYTES = 2 * Long.BYTES;

  public LogPosition {
    if (term < 0 || index < 0) {
      throw new IllegalArgumentException("log position " + term + ":" + index + " is negative");
    }
  }

  byte[] encode() {
    return ByteBuffer.allocate(ENCODED_BYTES).putLong(term).putLong(index).array();
  }

  static Optional<LogPosition> decode(Optional<byte[]> stored) {
    return stored.filter(bytes -> bytes.length == ENCODED_BYTES).map(ByteBuffer::wrap)
        .map(buffer -> new LogPosition(buffer.getLong(), buffer.getLong()));
  }
}
