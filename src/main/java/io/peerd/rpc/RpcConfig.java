package io.peerd.rpc;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link RpcServer} listens and whom it lets in.
 *
 * @param bindHost the address to listen on; {@link #DEFAULT_BIND_HOST} keeps the API local
 * @param port the TCP port; 0 picks a free one ({@link RpcServer#port()} says which)
 * @param dataDir where the {@code .cookie} file goes when {@code credentials} is empty
 * @param credentials rpcuser/rpcpassword; empty means cookie authentication, as in bitcoind
 * @param threadCount worker threads running calls (Core's {@code -rpcthreads})
 * @param workQueueDepth requests that may wait for a worker; beyond it the server answers 503
 *     (Core's {@code -rpcworkqueue})
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 */
public record RpcConfig(String bindHost, int port, Path dataDir, Optional<Credentials> credentials,
    int threadCount, int workQueueDepth, int maxBodyBytes) {

  public static final String DEFAULT_BIND_HOST = "127.0.0.1";
  /** The cookie file in {@code dataDir}, as bitcoind names it; clients such as peerd-cli read it. */
  public static final String COOKIE_FILE_NAME = ".cookie";
  public static final int DEFAULT_THREAD_COUNT = 4;
  public static final int DEFAULT_WORK_QUEUE_DEPTH = 16;
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
  /** Caps the other bounds so a typo cannot ask for thousands of threads or a huge queue. */
  private static final int MAX_THREAD_COUNT = 64;
  private static final int MAX_WORK_QUEUE_DEPTH = 4096;

  public RpcConfig {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(credentials, "credentials");
    requireRange("port", port, 0, 65_535);
    requireRange("threadCount", threadCount, 1, MAX_THREAD_COUNT);
    requireRange("workQueueDepth", workQueueDepth, 1, MAX_WORK_QUEUE_DEPTH);
    requireRange("maxBodyBytes", maxBodyBytes, 1, Integer.MAX_VALUE - 1);
  }

  /** Local-only, cookie authentication, Core's default thread and queue sizes, 1 MiB bodies. */
  public static RpcConfig local(Path dataDir, int port) {
    return new RpcConfig(DEFAULT_BIND_HOST, port, dataDir, Optional.empty(), DEFAULT_THREAD_COUNT,
        DEFAULT_WORK_QUEUE_DEPTH, DEFAULT_MAX_BODY_BYTES);
  }

  public RpcConfig withCredentials(String user, String password) {
    return new RpcConfig(bindHost, port, dataDir, Optional.of(new Credentials(user, password)),
        threadCount, workQueueDepth, maxBodyBytes);
  }

  public RpcConfig withThreads(int threadCount, int workQueueDepth) {
    return new RpcConfig(bindHost, port, dataDir, credentials, threadCount, workQueueDepth,
        maxBodyBytes);
  }

  public RpcConfig withMaxBodyBytes(int maxBodyBytes) {
    return new RpcConfig(bindHost, port, dataDir, credentials, threadCount, workQueueDepth,
        maxBodyBytes);
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
    }
  }

  /**
   * rpcuser and rpcpassword. The password must not be empty (bitcoind then falls back to the
   * cookie) and the user cannot contain ':' (HTTP Basic splits there).
   */
  public record Credentials(String user, String password) {
    public Credentials {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (user.indexOf(':') >= 0) {
        throw new IllegalArgumentException("rpc user cannot contain ':'");
      }
      if (password.isEmpty()) {
        throw new IllegalArgumentException("rpc password cannot be empty");
      }
    }

    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]"; // keeps the secret out of logs
    }
  }
}
