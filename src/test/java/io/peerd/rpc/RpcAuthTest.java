package io.peerd.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpcAuthTest {
  @TempDir Path dataDir;

  @Test
  void cookieIsRandomOwnerOnlyAndDeletedOnClose() throws Exception {
    Path cookieFile = dataDir.resolve(".cookie");
    String first;
    try (RpcAuth auth = RpcAuth.open(RpcConfig.local(dataDir, 0))) {
      first = Files.readString(cookieFile);
      assertThat(first).matches("__cookie__:[0-9a-f]{64}");
      assertThat(auth.isAuthorized(basic(first))).isTrue();
      if (Files.getFileStore(cookieFile).supportsFileAttributeView("posix")) {
        assertThat(Files.getPosixFilePermissions(cookieFile))
            .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      }
    }
    assertThat(cookieFile).doesNotExist();
    assertThat(dataDir.resolve(".cookie.tmp")).doesNotExist();
    try (RpcAuth second = RpcAuth.open(RpcConfig.local(dataDir, 0))) {
      assertThat(Files.readString(cookieFile)).isNotEqualTo(first);
      assertThat(second.isAuthorized(basic(first))).isFalse();
    }
  }

  @Test
  void configuredCredentialsWriteNoCookie() throws Exception {
    try (RpcAuth auth = RpcAuth.open(RpcConfig.local(dataDir, 0).withCredentials("alice", "s3cret"))) {
      assertThat(dataDir.resolve(".cookie")).doesNotExist();
      assertThat(auth.isAuthorized(basic("alice:s3cret"))).isTrue();
      assertThat(auth.isAuthorized("Basic  " + encode("alice:s3cret") + " ")).isTrue();
    }
  }

  @Test
  void refusesEverythingButTheExactCredentials() throws Exception {
    try (RpcAuth auth = RpcAuth.open(RpcConfig.local(dataDir, 0).withCredentials("alice", "s3cret"))) {
      assertThat(auth.isAuthorized(null)).isFalse();
      assertThat(auth.isAuthorized("")).isFalse();
      assertThat(auth.isAuthorized(basic("alice:s3cre"))).isFalse();
      assertThat(auth.isAuthorized(basic("alice:s3cret "))).isFalse();
      assertThat(auth.isAuthorized(basic("bob:s3cret"))).isFalse();
      assertThat(auth.isAuthorized(basic("alice"))).isFalse();
      assertThat(auth.isAuthorized("basic " + encode("alice:s3cret"))).isFalse();
      assertThat(auth.isAuthorized("Bearer " + encode("alice:s3cret"))).isFalse();
      assertThat(auth.isAuthorized("Basic not*base64")).isFalse();
    }
  }

  static String basic(String userColonPassword) {
    return "Basic " + encode(userColonPassword);
  }

  private static String encode(String userColonPassword) {
    return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }
}
