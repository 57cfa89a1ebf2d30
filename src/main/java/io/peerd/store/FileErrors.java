package io.peerd.store;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import org.rocksdb.RocksDBException;

/**
 * Why a file operation failed, in words an operator acts on. The JDK's {@link AccessDeniedException}
 * and its kin carry only the path in their message ("cannot open data directory /d/regtest/chain:
 * /d/regtest" says nothing), and RocksDB's carry a status code apart from their text.
 */
final class FileErrors {
  private FileErrors() {}

  /** "permission denied: /d/regtest", "Read-only file system: /d/regtest/chain", "IOError: ...". */
  static String reason(Exception e) {
    return switch (e) {
      case AccessDeniedException denied -> "permission denied: " + denied.getFile();
      case NoSuchFileException missing -> "no such file or directory: " + missing.getFile();
      case FileAlreadyExistsException exists -> "a file is in the way: " + exists.getFile();
      case NotDirectoryException notDirectory -> "not a directory: " + notDirectory.getFile();
      case FileSystemException other when other.getReason() != null -> other.getReason() + ": " + other.getFile();
      case FileSystemException other -> words(other.getClass().getSimpleName()) + ": " + other.getFile();
      case RocksDBException rocks when rocks.getStatus() != null ->
          rocks.getStatus().getCodeString() + ": " + rocks.getMessage();
      default -> String.valueOf(e.getMessage());
    };
  }

  /** "FileSystemLoopException" as "file system loop". */
  private static String words(String exceptionName) {
    String name = exceptionName.replaceFirst("Exception$", "");
    return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }
}
