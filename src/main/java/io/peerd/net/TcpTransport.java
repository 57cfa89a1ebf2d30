package io.peerd.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Transport} over blocking JDK sockets. Counts its open sockets for leak checks. */
public final class TcpTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
  /**
   * Each connection's read and write buffer. Small, since an idle peer holds both: it batches frame
   * headers and small messages into few system calls, while larger reads and writes (blocks,
   * header batches) bypass it and go straight between the socket and the message's own array.
   */
  private static final int BUFFER_BYTES = 1024;
  /**
   * Connections the kernel completes and queues before the accept loop takes them, as Bitcoin
   * Core's SOMAXCONN (the kernel caps it at net.core.somaxconn): a burst of connections larger
   * than the queue gets its SYNs dropped and waits a one-second retransmit. The server's
   * admission limits apply right after accept.
   */
  private static final int ACCEPT_BACKLOG = 4_096;
  private static final long ACCEPT_THREAD_JOIN_MILLIS = 5_000;

  private final ThreadFactory acceptThreads;
  private final AtomicInteger openSockets = new AtomicInteger();

  /** @param acceptThreads makes the one thread each listener accepts on */
  public TcpTransport(ThreadFactory acceptThreads) {
    this.acceptThreads = acceptThreads;
  }

  /** Connected sockets not yet closed, and listening sockets not yet closed. */
  public int openSocketCount() {
    return openSockets.get();
  }

  @Override
  public Listener listen(InetSocketAddress bindAddress, Consumer<Connection> onAccept) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(bindAddress, ACCEPT_BACKLOG);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + bindAddress + ": " + e.getMessage(), e);
    }
    openSockets.incrementAndGet();
    TcpListener listener = new TcpListener(server, onAccept);
    listener.start();
    return listener;
  }

  @Override
  public Dial dial(InetSocketAddress remote) {
    return new TcpDial(remote);
  }

  private final class TcpListener implements Listener {
    private final ServerSocket server;
    private final Consumer<Connection> onAccept;
    /**
     * Every accepted socket's local address when the listener is bound to one address, so accepting
     * asks the kernel for it no more; null when bound to every address (then each socket tells its own).
     */
    private final InetSocketAddress acceptedLocal;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Thread acceptThread;

    TcpListener(ServerSocket server, Consumer<Connection> onAccept) {
      this.server = server;
      this.onAccept = onAccept;
      InetSocketAddress bound = (InetSocketAddress) server.getLocalSocketAddress();
      this.acceptedLocal = bound.getAddress().isAnyLocalAddress() ? null : bound;
    }

    void start() {
      acceptThread = acceptThreads.newThread(this::acceptLoop);
      acceptThread.start();
    }

    private void acceptLoop() {
      while (!closed.get()) {
        Socket socket;
        try {
          socket = server.accept();
        } catch (IOException e) {
          if (!closed.get()) {
            log.warn("accept on {} failed: {}", server.getLocalSocketAddress(), e.getMessage());
          }
          continue;
        }
        handOver(socket);
      }
    }

    private void handOver(Socket socket) {
      try {
        onAccept.accept(new TcpConnection(socket, acceptedLocal));
      } catch (IOException e) {
        log.debug("dropping accepted socket: {}", e.getMessage());
      }
    }

    @Override
    public InetSocketAddress localAddress() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      closeQuietly(server);
      openSockets.decrementAndGet();
      try {
        acceptThread.join(ACCEPT_THREAD_JOIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private final class TcpDial implements Dial {
    private final InetSocketAddress remote;
    private final Socket socket = new Socket();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile TcpConnection connection;

    TcpDial(InetSocketAddress remote) {
      this.remote = remote;
    }

    @Override
    public Connection connect(int timeoutMillis) throws IOException {
      try {
        socket.connect(remote, timeoutMillis);
        TcpConnection connected = new TcpConnection(socket, null);
        connection = connected;
        if (cancelled.get()) { // cancel() may have run before it could see the connection
          connected.close();
          throw new SocketException("dial to " + remote + " cancelled");
        }
        return connected;
      } catch (IOException e) {
        closeQuietly(socket);
        throw cancelled.get() ? new SocketException("dial to " + remote + " cancelled") : e;
      }
    }

    @Override
    public void cancel() {
      if (cancelled.compareAndSet(false, true)) {
        closeQuietly(socket);
        TcpConnection connected = connection;
        if (connected != null) {
          connected.close();
        }
      }
    }
  }

  private final class TcpConnection implements Connection {
    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param knownLocal the socket's local address if the caller knows it, else null (then asked of the socket) */
    TcpConnection(Socket socket, InetSocketAddress knownLocal) throws IOException {
      try {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        this.input = new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES);
        this.output = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
      } catch (IOException e) {
        closeQuietly(socket);
        throw e;
      }
      this.socket = socket;
      this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
      this.local = knownLocal != null ? knownLocal : (InetSocketAddress) socket.getLocalSocketAddress();
      openSockets.incrementAndGet();
    }

    @Override
    public InputStream input() {
      return input;
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
      return local;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        closeQuietly(socket);
        openSockets.decrementAndGet();
      }
    }

    @Override
    public String toString() {
      return local + "->" + remote;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("close failed: {}", e.getMessage());
    }
  }
}
