package io.peerd.addrman;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Saves an address manager to a file and loads it back ({@link AddressCodec} is the format).
 *
 * <p>A save never damages the last good file: it writes a temporary file beside it, forces it to
 * the disk, and renames it over the real one in one atomic step, then forces the directory so
 * the rename itself survives a power loss. A crash at any moment leaves the old file or the new
 * one whole; at worst a stray temporary file, which the next save overwrites and loading ignores.
 */
public final class AddressFile {
  private static final String TEMPORARY_SUFFIX = ".tmp";

  private AddressFile() {}

  /**
   * The manager saved in {@code path}. A file that is truncated, corrupt, too large, or of an
   * unknown format is an {@link AddressFileException}: the caller logs it and starts empty.
   *
   * @throws java.nio.file.NoSuchFileException if there is no file (a first start)
   */
  public static AddressManager load(Path path, RoutingPolicy policy, Random random, LongSupplier clockSeconds)
      throws IOException, AddressFileException {
    long sizeBytes = Files.size(path);
    if (sizeBytes > AddressCodec.MAX_FILE_BYTES) {
      throw new AddressFileException("address file " + path + " has " + sizeBytes + " bytes, more than the "
          + AddressCodec.MAX_FILE_BYTES + " full tables take");
    }
    try {
      return AddressCodec.decode(Files.readAllBytes(path), policy, random, clockSeconds);
    } catch (AddressFileException e) {
      throw new AddressFileException(path + ": " + e.getMessage());
    }
  }

  /** Saves {@code manager} to {@code path} atomically; on an exception the old file is untouched. */
  public static void save(Path path, AddressManager manager) throws IOException {
    Path temporary = temporaryPath(path);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(AddressCodec.encode(manager));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(path.toAbsolutePath().getParent());
  }

  /** Where a save writes before its rename: beside the file, so the rename stays on one file system. */
  static Path temporaryPath(Path path) {
    return path.resolveSibling(path.getFileName() + TEMPORARY_SUFFIX);
  }

  /** Makes a rename in {@code directory} durable: the directory's entry, not only the file, must reach the disk. */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
