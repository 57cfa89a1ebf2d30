package io.peerd.testing;

import io.peerd.net.Connection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/** A connection with addresses and nothing to read or write, for tests that never touch bytes. */
public record FakeConnection(InetSocketAddress remoteAddress, InetSocketAddress localAddress) implements Connection {
  @Override
  public InputStream input() {
    return InputStream.nullInputStream();
  }

  @Override
  public OutputStream output() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public void close() {}
}
