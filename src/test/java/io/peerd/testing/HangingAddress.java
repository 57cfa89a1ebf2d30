package io.peerd.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * An address on 127.0.0.1 whose connects hang until their timeout: a listener that never accepts
 * and whose backlog is full, so the kernel drops further connection requests. Dials to it stay
 * in flight as long as a test needs, without leaving the loopback range.
 */
public final class HangingAddress implements AutoCloseable {
  private static final int FILL_TIMEOUT_MILLIS = 200;
  private static final int MAX_FILLERS = 16;

  private final ServerSocket listener;
  private final List<Socket> fillers = new ArrayList<>();

  private HangingAddress(ServerSocket listener) {
    this.listener = listener;
  }

  /** Opens the listener and fills its backlog until a connect times out. */
  public static HangingAddress open() throws IOException {
    HangingAddress hanging = new HangingAddress(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    try {
      while (hanging.fillOne()) {
        if (hanging.fillers.size() == MAX_FILLERS) {
          throw new IllegalStateException("the backlog never filled: connects here would not hang");
        }
      }
      return hanging;
    } catch (IOException | RuntimeException e) {
      hanging.close();
      throw e;
    }
  }

  private boolean fillOne() throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(address(), FILL_TIMEOUT_MILLIS);
      fillers.add(socket);
      return true;
    } catch (java.net.SocketTimeoutException full) {
      socket.close();
      return false;
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  @Override
  public void close() throws IOException {
    for (Socket filler : fillers) {
      filler.close();
    }
    listener.close();
  }
}
