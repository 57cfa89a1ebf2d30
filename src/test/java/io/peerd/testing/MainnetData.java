package io.peerd.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Real mainnet data copied into test resources (see src/test/resources/mainnet). */
public final class MainnetData {
  public static final int[] SINGLE_BLOCK_HEIGHTS = {169482, 227835, 227836, 363703, 370661, 383616, 481815, 481829};
  private static final int MAINNET_MAGIC = 0xf9beb4d9;

  /** A checkpoint line: cumulative work, height and the 80-byte header. */
  public record CheckpointRecord(BigInteger chainWork, int height, byte[] header) {}

  private MainnetData() {}

  public static byte[] resource(String name) {
    try (InputStream in = MainnetData.class.getResourceAsStream("/mainnet/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /mainnet/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serialized blocks 0..438, in height order, from Bitcoin Core's blk file layout. */
  public static List<byte[]> blocks0To438() {
    ByteBuffer file = ByteBuffer.wrap(resource("blocks-0-438.blk")).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> blocks = new ArrayList<>();
    while (file.remaining() >= 8) {
      int magic = file.order(ByteOrder.BIG_ENDIAN).getInt();
      int length = file.order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (magic != MAINNET_MAGIC) {
        throw new IllegalStateException("bad magic in blk file at block " + blocks.size());
      }
      byte[] block = new byte[length];
      file.get(block);
      blocks.add(block);
    }
    return blocks;
  }

  public static byte[] block(int height) {
    return resource("block-" + height + ".bin");
  }

  public static List<CheckpointRecord> checkpoints() {
    String[] lines = new String(resource("checkpoints.txt"), StandardCharsets.US_ASCII).split("\n");
    int count = Integer.parseInt(lines[2].trim());
    List<CheckpointRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] raw = Base64.getDecoder().decode(lines[3 + i].trim());
      BigInteger work = new BigInteger(1, Arrays.copyOfRange(raw, 0, 12));
      int height = ByteBuffer.wrap(raw, 12, 4).getInt();
      records.add(new CheckpointRecord(work, height, Arrays.copyOfRange(raw, 16, 96)));
    }
    return records;
  }
}
