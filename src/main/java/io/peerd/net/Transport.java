package io.peerd.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** Where connections come from. */
public interface Transport {
  /**
   * Starts accepting connections on {@code bindAddress} (port 0: any free port).
   *
   * @param onAccept called on the accepting thread for each new connection; must not block
   */
  Listener listen(InetSocketAddress bindAddress, Consumer<Connection> onAccept) throws IOException;

  /** Prepares a dial to {@code remote}; nothing happens until {@link Dial#connect}. */
  Dial dial(InetSocketAddress remote);

  /** A listening socket. */
  interface Listener extends AutoCloseable {
    InetSocketAddress localAddress();

    /** Stops accepting and waits (bounded) for the accepting thread to end; idempotent. */
    @Override
    void close();
  }

  /** One outgoing connection attempt, cancellable from any thread. */
  interface Dial {
    /** Connects on the calling thread; fails on timeout, refusal, or {@link #cancel}. */
    Connection connect(int timeoutMillis) throws IOException;

    /** Aborts a connect in progress, or closes the connection it produced; idempotent. */
    void cancel();
  }
}
