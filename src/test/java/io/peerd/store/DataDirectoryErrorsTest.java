package io.peerd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * A data directory peerd cannot use is refused with the reason, not only the path: "cannot open
 * data directory /d/regtest/chain: /d/regtest" sent operators hunting for what was wrong.
 */
class DataDirectoryErrorsTest {
  @TempDir
  Path directory;

  /** Given back so that the temporary folder can be deleted. */
  @AfterEach
  void restorePermissions() throws Exception {
    try (Stream<Path> all = Files.walk(directory)) {
      for (Path path : all.toList()) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }

  @Test
  void aFolderThatMayNotBeWrittenIsReportedAsPermissionDenied() throws Exception {
    Path data = Files.createDirectory(directory.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-x------"));
    assumeFalse(Files.isWritable(data), "running as root, which writes anyway");

    assertThatThrownBy(() -> RocksChainStore.open(data.resolve("regtest/chain"), "regtest"))
        .isInstanceOf(StoreException.class)
        .hasMessage("cannot open data directory " + data.resolve("regtest/chain") + ": permission denied: "
            + data.resolve("regtest"));
  }

  @Test
  void aStoreThatMayNotBeWrittenIsReportedAsPermissionDeniedNotAsInUse() throws Exception {
    Path chain = directory.resolve("chain");
    RocksChainStore.open(chain, "regtest").close();
    try (Stream<Path> files = Files.walk(chain)) {
      for (Path path : files.toList()) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "r-x------" : "r--------"));
      }
    }
    assumeFalse(Files.isWritable(chain), "running as root, which writes anyway");

    assertThatThrownBy(() -> RocksChainStore.open(chain, "regtest"))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot open data directory " + chain + ": ")
        .hasMessageContaining("Permission denied")
        .hasMessageNotContaining("in use");
  }

  @Test
  void theReasonOfAnAccessDeniedIsNamed() {
    assertThat(FileErrors.reason(new AccessDeniedException("/d/regtest"))).isEqualTo("permission denied: /d/regtest");
  }

  @Test
  void theReasonOfAReadOnlyFileSystemIsNamed() {
    assertThat(FileErrors.reason(new FileSystemException("/d/regtest", null, "Read-only file system")))
        .isEqualTo("Read-only file system: /d/regtest");
  }

  @Test
  void aFileSystemErrorWithoutAReasonIsNamedByItsKind() {
    assertThat(FileErrors.reason(new java.nio.file.FileSystemLoopException("/d/loop")))
        .isEqualTo("file system loop: /d/loop");
  }

  @Test
  void aRocksDbErrorKeepsItsStatus() {
    RocksDBException e = new RocksDBException("While mkdir: /d/chain: Permission denied",
        new Status(Status.Code.IOError, Status.SubCode.None, "While mkdir: /d/chain: Permission denied"));
    assertThat(FileErrors.reason(e)).isEqualTo("IOError: While mkdir: /d/chain: Permission denied");
  }
}
