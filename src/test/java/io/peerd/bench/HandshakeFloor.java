package io.peerd.bench;

import io.peerd.chain.NetworkParameters;
import io.peerd.peer.PeerConfig;
import io.peerd.peer.Services;
import io.peerd.wire.FrameHeader;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import io.peerd.wire.NetworkAddress;
import io.peerd.wire.WireException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The least a node can do per churn cycle, for {@link ChurnBenchmark}'s floors: on 127.0.0.1, per
 * inbound connection, read the remote's version frame, write a version, sendaddrv2 and verack in
 * one write, read its verack, write sendheaders, then read until the remote closes, and close. It
 * checks no more than each frame header (magic, size limit; no checksum, no field) and keeps no
 * state beyond the connection: what is left is the socket work and the threads' hand-offs of the
 * way it is driven.
 *
 * <ul>
 *   <li>{@link Mode#THREADS}: the least a thread-per-connection design does: an accepting virtual
 *       thread and one virtual thread per connection with blocking, buffered streams, TCP_NODELAY
 *       and keep-alive, as {@code TcpTransport} sets them. (peerd runs a reader and a lifecycle task
 *       per peer, a writer while it has frames, and hands each peer's events to its actors.)
 *   <li>{@link Mode#SELECTOR}: one platform thread and a selector over non-blocking channels, as
 *       bcoin's event loop and the benchmark's client drive theirs; the same socket options.
 * </ul>
 *
 * <p>Runs as its own JVM ({@link Launched}): prints {@code READY <port>} and serves until its
 * standard input closes.
 */
public final class HandshakeFloor {
  private static final int MAGIC = NetworkParameters.REGTEST.magic();
  private static final int BACKLOG = 4_096;
  private static final int BUFFER_BYTES = 1_024;
  private static final long START_TIMEOUT_SECONDS = 60;

  private final byte[] handshakeReply = concat(versionFrame(), MessageCodec.encode(MAGIC, new Message.SendAddrV2()),
      MessageCodec.encode(MAGIC, new Message.Verack()));
  private final byte[] afterVerack = MessageCodec.encode(MAGIC, new Message.SendHeaders());

  /** How the floor drives its connections. */
  enum Mode {
    THREADS,
    SELECTOR
  }

  /** A floor in a JVM of its own, started from the benchmark's class path. */
  static final class Launched implements AutoCloseable {
    private final Process process;
    private final int port;

    private Launched(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Launched start(Mode mode) throws IOException, InterruptedException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          HandshakeFloor.class.getName(), mode.name()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader output =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
      try {
        String line = PeerdProcess.readyLine(output, START_TIMEOUT_SECONDS);
        return new Launched(process, Integer.parseInt(line.substring("READY ".length())));
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        process.destroyForcibly().waitFor(); // which also ends a reader still waiting for the line
        throw new IllegalStateException("the " + mode + " floor did not start", e);
      }
    }

    InetSocketAddress address() {
      return new InetSocketAddress("127.0.0.1", port);
    }

    long pid() {
      return process.pid();
    }

    @Override
    public void close() throws IOException, InterruptedException {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || Arrays.stream(Mode.values()).noneMatch(m -> m.name().equals(args[0]))) {
      System.err.println("usage: HandshakeFloor THREADS|SELECTOR");
      System.exit(2);
    }
    Serving serving = new HandshakeFloor().start(Mode.valueOf(args[0]));
    System.out.printf(Locale.ROOT, "READY %d%n", serving.port());
    System.out.flush();
    System.in.transferTo(OutputStream.nullOutputStream()); // serves until the benchmark closes our input
    System.exit(0);
  }

  /** A floor serving in this JVM; closing it stops accepting (connections open end with their remote). */
  record Serving(int port, Closeable listener) implements Closeable {
    @Override
    public void close() throws IOException {
      listener.close();
    }
  }

  /** Starts serving on 127.0.0.1, a free port. */
  Serving start(Mode mode) throws IOException {
    return mode == Mode.THREADS ? startThreads() : startSelector();
  }

  // ---------------------------------------------------------------- a virtual thread per connection

  private Serving startThreads() throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
    Thread.ofVirtual().start(() -> {
      while (true) {
        try {
          Socket socket = server.accept();
          Thread.ofVirtual().start(() -> serve(socket));
        } catch (IOException e) {
          if (server.isClosed()) {
            return;
          }
          // a connection reset before it was accepted, or out of file descriptors: the next one may do
        }
      }
    });
    return new Serving(server.getLocalPort(), server);
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      InputStream input = new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES);
      OutputStream output = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
      skipFrame(input);
      output.write(handshakeReply);
      output.flush();
      skipFrame(input);
      output.write(afterVerack);
      output.flush();
      while (input.read() >= 0) {
        // until the remote closes
      }
    } catch (IOException e) {
      // the client closes with a reset: the end of every cycle
    }
  }

  private static void skipFrame(InputStream input) throws IOException {
    byte[] header = input.readNBytes(FrameHeader.SIZE_BYTES);
    if (header.length < FrameHeader.SIZE_BYTES) {
      throw new IOException("closed mid-frame");
    }
    input.skipNBytes(payloadLength(header));
  }

  // ---------------------------------------------------------------- one selector thread

  private Serving startSelector() throws IOException {
    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    Thread thread = new Thread(() -> {
      ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES * 16);
      while (true) {
        try {
          selector.select(key -> {
            if (key.isAcceptable()) {
              accept(server, selector);
            } else {
              ((ChannelState) key.attachment()).readable(readBuffer);
            }
          });
        } catch (IOException | ClosedSelectorException e) {
          return; // closed
        }
      }
    }, "floor-selector");
    thread.setDaemon(true);
    thread.start();
    return new Serving(server.socket().getLocalPort(), () -> {
      selector.close();
      server.close();
    });
  }

  private void accept(ServerSocketChannel server, Selector selector) {
    try {
      SocketChannel channel;
      while ((channel = server.accept()) != null) {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        channel.register(selector, SelectionKey.OP_READ, new ChannelState(channel));
      }
    } catch (IOException e) {
      // a connection reset before it was accepted
    }
  }

  /** One connection: how many frames it has read, and where it is in the current one. */
  private final class ChannelState {
    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(FrameHeader.SIZE_BYTES);
    private long payloadLeft = -1;
    private int framesRead;

    ChannelState(SocketChannel channel) {
      this.channel = channel;
    }

    void readable(ByteBuffer buffer) {
      try {
        buffer.clear();
        if (channel.read(buffer) < 0) {
          channel.close();
          return;
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
          consume(buffer);
        }
      } catch (IOException e) {
        close();
      }
    }

    private void consume(ByteBuffer buffer) throws IOException {
      if (payloadLeft < 0) {
        while (header.hasRemaining() && buffer.hasRemaining()) {
          header.put(buffer.get());
        }
        if (header.hasRemaining()) {
          return;
        }
        payloadLeft = payloadLength(header.array());
        header.clear();
      }
      int skipped = (int) Math.min(payloadLeft, buffer.remaining());
      buffer.position(buffer.position() + skipped);
      payloadLeft -= skipped;
      if (payloadLeft == 0) {
        payloadLeft = -1;
        frameRead();
      }
    }

    private void frameRead() throws IOException {
      framesRead++;
      if (framesRead <= 2) {
        // far smaller than a new socket's send buffer: goes out whole
        channel.write(ByteBuffer.wrap(framesRead == 1 ? handshakeReply : afterVerack));
      }
    }

    private void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // closed either way
      }
    }
  }

  // ---------------------------------------------------------------- frames

  /** The payload length a frame header gives (the wire's own reading: magic and size limit checked). */
  private static int payloadLength(byte[] header) throws IOException {
    try {
      return FrameHeader.read(header, MAGIC).payloadLength();
    } catch (WireException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** A full node's version at height 0, as peerd's node sends it. */
  private static byte[] versionFrame() {
    long services = Services.NODE_NETWORK | Services.NODE_WITNESS;
    NetworkAddress none = new NetworkAddress(services, new byte[16], 0);
    return MessageCodec.encode(MAGIC, new Message.Version(PeerConfig.PROTOCOL_VERSION, services,
        System.currentTimeMillis() / 1000, none, none, 1, "/floor:0.1/", 0, false, true));
  }

  private static byte[] concat(byte[]... frames) {
    ByteBuffer all = ByteBuffer.allocate(Arrays.stream(frames).mapToInt(f -> f.length).sum());
    for (byte[] frame : frames) {
      all.put(frame);
    }
    return all.array();
  }
}
