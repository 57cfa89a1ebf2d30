package io.peerd.testing;

import io.peerd.net.Connection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection without bytes that records whether it was closed: {@link #closes} counts the call
 * that closed it, as a real socket closes once however often asked.
 */
public final class TrackedConnection implements Connection {
  private final InetSocketAddress remote;
  private final AtomicInteger closes = new AtomicInteger();

  public TrackedConnection(InetSocketAddress remote) {
    this.remote = remote;
  }

  @Override
  public InputStream input() {
    return InputStream.nullInputStream();
  }

  @Override
  public OutputStream output() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public InetSocketAddress localAddress() {
    return new InetSocketAddress(FakePeer.LOOPBACK, 1);
  }

  @Override
  public void close() {
    closes.compareAndSet(0, 1);
  }

  /** 1 once closed, whatever the number of calls. */
  public int closes() {
    return closes.get();
  }

  @Override
  public String toString() {
    return "connection to " + remote;
  }
}
