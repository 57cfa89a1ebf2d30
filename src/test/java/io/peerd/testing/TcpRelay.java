package io.peerd.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A port forward for one TCP connection: 127.0.0.1 at a free port, relayed byte for byte to a
 * target. It gives a listener a second address, e.g. a node its own address under another port.
 *
 * <p>The relay never closes one side because the other ended: each side closes only when its
 * own end closes it, so {@link #awaitBothEndsClosed} shows that both ends closed their
 * connection themselves.
 */
public final class TcpRelay implements AutoCloseable {
  private static final int BUFFER_BYTES = 8192;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final CountDownLatch endsClosed = new CountDownLatch(2);

  private TcpRelay(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /** Starts relaying the first connection to this relay's {@link #address} to {@code target}. */
  public static TcpRelay to(InetSocketAddress target) throws IOException {
    TcpRelay relay = new TcpRelay(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()), target);
    Thread.ofVirtual().name("relay-accept").start(relay::relayOne);
    return relay;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Fails unless both the dialer and the target have closed their side within {@link TestNodes#PROMPTLY}. */
  public void awaitBothEndsClosed() throws InterruptedException {
    if (!endsClosed.await(TestNodes.PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError((2 - endsClosed.getCount()) + " of the 2 relayed ends closed within "
          + TestNodes.PROMPTLY);
    }
  }

  private void relayOne() {
    try {
      server.setSoTimeout((int) TestNodes.PROMPTLY.toMillis());
      Socket dialer = track(server.accept());
      Socket targetSide = track(new Socket());
      targetSide.connect(target, (int) TestNodes.PROMPTLY.toMillis());
      Thread.ofVirtual().name("relay-out").start(() -> pump(dialer, targetSide));
      Thread.ofVirtual().name("relay-back").start(() -> pump(targetSide, dialer));
    } catch (SocketTimeoutException e) {
      // nobody dialed: awaitBothEndsClosed reports it
    } catch (IOException e) {
      throw new IllegalStateException("relay to " + target + " failed", e);
    }
  }

  private Socket track(Socket socket) {
    sockets.add(socket);
    return socket;
  }

  /**
   * Copies until {@code from}'s end closes, then counts that end closed. Bytes it can no longer
   * deliver are dropped, so a closed destination never ends the read early.
   */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER_BYTES];
    boolean deliverable = true;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (deliverable) {
          try {
            out.write(buffer, 0, n);
          } catch (IOException e) {
            deliverable = false;
          }
        }
      }
    } catch (IOException e) {
      // a reset: that end closed too
    } finally {
      endsClosed.countDown();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
