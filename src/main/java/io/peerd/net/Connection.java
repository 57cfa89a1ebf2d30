package io.peerd.net;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * A connected, buffered byte stream. One thread reads, one thread writes; {@link #close} may be
 * called from any thread, any number of times, and makes blocked reads and writes fail.
 */
public interface Connection extends AutoCloseable {
  InputStream input();

  OutputStream output();

  InetSocketAddress remoteAddress();

  InetSocketAddress localAddress();

  @Override
  void close();
}
