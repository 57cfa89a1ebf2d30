package io.peerd.rpc;

import io.peerd.wire.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP Basic authentication as bitcoind does it: one user and password, either configured or a
 * random cookie written to {@code <dataDir>/.cookie} as {@code __cookie__:<64 hex>} for local
 * tools to read. Only a SHA-256 of {@code user:password} is kept, and headers are checked by
 * comparing digests in constant time. Immutable after {@link #open}; safe from any thread.
 */
final class RpcAuth implements AutoCloseable {
  static final String COOKIE_USER = "__cookie__";
  private static final int COOKIE_SECRET_BYTES = 32;
  private static final String BASIC_PREFIX = "Basic ";
  private static final Set<PosixFilePermission> OWNER_READ_WRITE =
      PosixFilePermissions.fromString("rw-------");

  private final byte[] expectedDigest;
  private final Optional<Path> cookieFile;

  private RpcAuth(String userColonPassword, Optional<Path> cookieFile) {
    this.expectedDigest = sha256(userColonPassword.getBytes(StandardCharsets.UTF_8));
    this.cookieFile = cookieFile;
  }

  /** Uses the configured credentials, or writes a fresh cookie file when there are none. */
  static RpcAuth open(RpcConfig config) throws IOException {
    if (config.credentials().isPresent()) {
      RpcConfig.Credentials credentials = config.credentials().get();
      return new RpcAuth(credentials.user() + ":" + credentials.password(), Optional.empty());
    }
    byte[] secret = new byte[COOKIE_SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    String cookie = COOKIE_USER + ":" + HexFormat.of().formatHex(secret);
    Path file = config.dataDir().resolve(RpcConfig.COOKIE_FILE_NAME);
    writeOwnerOnly(file, cookie);
    return new RpcAuth(cookie, Optional.of(file));
  }

  /** Whether an {@code Authorization} header value (null when absent) carries the credentials. */
  boolean isAuthorized(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.startsWith(BASIC_PREFIX)) {
      return false;
    }
    byte[] userColonPassword;
    try {
      String encoded = authorizationHeader.substring(BASIC_PREFIX.length()).strip();
      userColonPassword = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return MessageDigest.isEqual(sha256(userColonPassword), expectedDigest);
  }

  /** Deletes the cookie file, so a stale cookie never outlives the server that issued it. */
  @Override
  public void close() {
    cookieFile.ifPresent(file -> {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + file, e);
      }
    });
  }

  /**
   * Writes through a temporary file and a rename, as bitcoind does, so a reader never sees half a
   * cookie; owner read/write only where the file system has POSIX permissions.
   */
  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
    } else {
      Files.createFile(temporary);
    }
    Files.writeString(temporary, content, StandardCharsets.US_ASCII);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] sha256(byte[] input) {
    return Sha256.hash(input, 0, input.length);
  }
}
