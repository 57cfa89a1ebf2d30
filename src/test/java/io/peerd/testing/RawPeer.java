package io.peerd.testing;

import io.peerd.chain.NetworkParameters;
import io.peerd.node.Node;
import io.peerd.peer.PeerConfig;
import io.peerd.peer.Services;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import io.peerd.wire.NetworkAddress;
import io.peerd.wire.WireException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A scripted remote node over a plain blocking socket, speaking peerd's own wire codec: it sends
 * exactly what a test tells it (messages, or raw bytes such as a frame with another network's
 * magic) and reads with a bound, so a test can play any honest or broken peer against a node.
 *
 * <p>Every read waits at most {@link #TIMEOUT} in all; a read that times out fails the test with
 * an {@link AssertionError} and leaves the stream mid-frame, so the peer is only good for closing
 * after that. Not thread-safe: one test thread drives it.
 */
public final class RawPeer implements AutoCloseable {
  /** How long a read waits: for something a node should do at once. */
  public static final Duration TIMEOUT = TestNodes.PROMPTLY;

  /** The fields of a version message a test may want to vary; the rest are fixed. */
  public record VersionFields(int protocolVersion, long services, long nonce, int startHeight,
      InetSocketAddress sender) {
    /** A current full node (NODE_NETWORK | NODE_WITNESS) at height 0, not listening, random nonce. */
    public static VersionFields defaults() {
      return new VersionFields(PeerConfig.PROTOCOL_VERSION, Services.NODE_NETWORK | Services.NODE_WITNESS,
          ThreadLocalRandom.current().nextLong(), 0, null);
    }

    public VersionFields withProtocolVersion(int version) {
      return new VersionFields(version, services, nonce, startHeight, sender);
    }

    public VersionFields withServices(long bits) {
      return new VersionFields(protocolVersion, bits, nonce, startHeight, sender);
    }

    public VersionFields withNonce(long value) {
      return new VersionFields(protocolVersion, services, value, startHeight, sender);
    }

    public VersionFields withStartHeight(int height) {
      return new VersionFields(protocolVersion, services, nonce, height, sender);
    }

    /** @param address the listening address the version claims (null: none, port 0) */
    public VersionFields withSender(InetSocketAddress address) {
      return new VersionFields(protocolVersion, services, nonce, startHeight, address);
    }
  }

  private final Socket socket;
  private final int magic;
  private final InputStream input;
  private final OutputStream output;

  private RawPeer(Socket socket, int magic) throws IOException {
    this.socket = socket;
    this.magic = magic;
    this.input = socket.getInputStream();
    this.output = socket.getOutputStream();
  }

  /** Connects to {@code node}'s P2P listener, speaking regtest. */
  public static RawPeer connect(Node node) throws IOException {
    return connect(node.p2pAddress(), NetworkParameters.REGTEST.magic(), 0);
  }

  /**
   * @param receiveBufferBytes the socket's receive buffer (set before connecting, so the TCP
   *     window stays that small); 0 keeps the system's default
   */
  public static RawPeer connect(InetSocketAddress address, int magic, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    try {
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes);
      }
      socket.connect(address, (int) TIMEOUT.toMillis());
      return new RawPeer(socket, magic);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Connects to {@code node} from {@code localIp}, another loopback address (any of 127.0.0.0/8
   * binds on Linux): a peer from a network of its own, for per-network rules.
   */
  public static RawPeer connectFrom(InetAddress localIp, Node node) throws IOException {
    return connectFrom(localIp, node.p2pAddress());
  }

  /** A regtest connection to {@code target} from {@code localIp}, another loopback address. */
  public static RawPeer connectFrom(InetAddress localIp, InetSocketAddress target) throws IOException {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(localIp, 0));
      socket.connect(target, (int) TIMEOUT.toMillis());
      return new RawPeer(socket, NetworkParameters.REGTEST.magic());
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A connection a test accepted itself (e.g. from a counting listener), speaking regtest. */
  public static RawPeer over(Socket accepted) throws IOException {
    return new RawPeer(accepted, NetworkParameters.REGTEST.magic());
  }

  /** A listening socket on 127.0.0.1 (free port) for a node to dial, speaking regtest. */
  public static Listener listen() throws IOException {
    return listen(InetAddress.getLoopbackAddress(), NetworkParameters.REGTEST.magic());
  }

  /** A listening socket on {@code ip} (any of 127.0.0.0/8), free port, speaking the network of {@code magic}. */
  public static Listener listen(InetAddress ip, int magic) throws IOException {
    return listen(new InetSocketAddress(ip, 0), magic);
  }

  /** A listening socket at {@code address} (on 127.0.0.0/8), speaking the network of {@code magic}. */
  public static Listener listen(InetSocketAddress address, int magic) throws IOException {
    return new Listener(new ServerSocket(address.getPort(), 8, address.getAddress()), magic);
  }

  /** Waits for dials from a node; each accepted connection becomes a {@link RawPeer}. */
  public static final class Listener implements AutoCloseable {
    private final ServerSocket server;
    private final int magic;

    private Listener(ServerSocket server, int magic) {
      this.server = server;
      this.magic = magic;
    }

    public InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** The next dial if one comes within {@code timeoutMillis}. */
    public java.util.Optional<RawPeer> acceptWithin(int timeoutMillis) throws IOException {
      server.setSoTimeout(timeoutMillis);
      try {
        return java.util.Optional.of(new RawPeer(server.accept(), magic));
      } catch (SocketTimeoutException e) {
        return java.util.Optional.empty();
      }
    }

    /** The next dial, waiting at most {@link #TIMEOUT}. */
    public RawPeer accept() throws IOException {
      server.setSoTimeout((int) TIMEOUT.toMillis());
      try {
        return new RawPeer(server.accept(), magic);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("nobody dialed " + address() + " within " + TIMEOUT, e);
      }
    }

    public boolean isClosed() {
      return server.isClosed();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** This end's address: the remote address the node sees. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  // ---------------------------------------------------------------- sending

  public RawPeer send(Message message) throws IOException {
    return sendRaw(MessageCodec.encode(magic, message));
  }

  /** Bytes as they are: a hand-made frame, several frames at once, or garbage. Whole frames even when a feeder thread sends too. */
  public synchronized RawPeer sendRaw(byte[] bytes) throws IOException {
    output.write(bytes);
    output.flush();
    return this;
  }

  public RawPeer sendVersion(VersionFields fields) throws IOException {
    return send(version(fields));
  }

  public RawPeer sendVersion() throws IOException {
    return sendVersion(VersionFields.defaults());
  }

  public RawPeer sendVerack() throws IOException {
    return send(new Message.Verack());
  }

  /** The version message {@link #sendVersion} would send, e.g. to frame it with another magic. */
  public Message.Version version(VersionFields fields) {
    NetworkAddress receiver = NetworkAddress.of((InetSocketAddress) socket.getRemoteSocketAddress(), 0);
    NetworkAddress sender = fields.sender() == null ? new NetworkAddress(fields.services(), new byte[16], 0)
        : NetworkAddress.of(fields.sender(), fields.services());
    return new Message.Version(fields.protocolVersion(), fields.services(), System.currentTimeMillis() / 1000,
        receiver, sender, fields.nonce(), "/rawpeer:0.1/", fields.startHeight(), false, true);
  }

  /**
   * The inbound handshake as a full node plays it: our version, then the node's version and
   * verack, then our verack. Returns the node's version.
   */
  public Message.Version handshake() throws IOException {
    return handshake(VersionFields.defaults());
  }

  public Message.Version handshake(VersionFields ours) throws IOException {
    sendVersion(ours);
    Message.Version theirs = expect(Message.Version.class);
    expectVerack();
    sendVerack();
    return theirs;
  }

  /** The node's outbound handshake, played by the peer it dialed: its version, ours and verack, its verack. */
  public RawPeer handshakeAsListener() throws IOException {
    expect(Message.Version.class);
    sendVersion().sendVerack();
    expectVerack();
    return this;
  }

  // ---------------------------------------------------------------- reading

  /** The next message, whatever it is. */
  public Message next() throws IOException {
    return decode(nextFrame(deadline(), "no message"));
  }

  /** The next frame with {@code command}, undecoded (e.g. a block's exact bytes); skips others. */
  public MessageCodec.RawMessage expectFrame(String command) throws IOException {
    long deadline = deadline();
    while (true) {
      MessageCodec.RawMessage frame = nextFrame(deadline, "no '" + command + "'");
      if (frame.command().equals(command)) {
        return frame;
      }
    }
  }

  /** The next message of {@code type}; skips others. */
  public <T extends Message> T expect(Class<T> type) throws IOException {
    return expect(type, message -> true);
  }

  /** The next message of {@code type} that {@code wanted} accepts; skips others. */
  public <T extends Message> T expect(Class<T> type, Predicate<? super T> wanted) throws IOException {
    long deadline = deadline();
    while (true) {
      Message message = decode(nextFrame(deadline, "no wanted " + type.getSimpleName()));
      if (type.isInstance(message) && wanted.test(type.cast(message))) {
        return type.cast(message);
      }
    }
  }

  public void expectVerack() throws IOException {
    expect(Message.Verack.class);
  }

  /** Sends a ping and returns once the pong with its nonce arrives. */
  public void expectPingAnswered() throws IOException {
    messagesBeforePong();
  }

  /** Sends a ping and returns the messages that came before its pong: everything the node sent until then. */
  public List<Message> messagesBeforePong() throws IOException {
    long nonce = ThreadLocalRandom.current().nextLong();
    send(new Message.Ping(nonce));
    long deadline = deadline();
    List<Message> before = new ArrayList<>();
    while (true) {
      Message message = decode(nextFrame(deadline, "no pong to ping " + nonce));
      if (message instanceof Message.Pong pong && pong.nonce() == nonce) {
        return before;
      }
      before.add(message);
    }
  }

  /**
   * Reads until the node closes the connection (end of stream or reset) and returns the
   * commands that came before; fails if it is still open after the timeout.
   */
  public List<String> awaitClosed() throws IOException {
    long deadline = deadline();
    List<String> commands = new ArrayList<>();
    while (true) {
      try {
        commands.add(nextFrame(deadline, "connection still open, after " + commands).command());
      } catch (EOFException | SocketException e) { // end of stream, or a reset if our bytes were unread
        return commands;
      }
    }
  }

  /** End of stream inside a frame: the node closed mid-message. */
  private static final class ClosedMidFrame extends EOFException {
    ClosedMidFrame(WireException cause) {
      super(cause.getMessage());
    }
  }

  private long deadline() {
    return System.nanoTime() + TIMEOUT.toNanos();
  }

  /** @param failure what the test failure says if nothing comes in time */
  private MessageCodec.RawMessage nextFrame(long deadlineNanos, String failure) throws IOException {
    long remainingMillis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
    try {
      return MessageCodec.read(input, magic);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(failure + " within " + TIMEOUT + " (" + this + ")", e);
    } catch (WireException.Truncated e) {
      throw new ClosedMidFrame(e);
    } catch (WireException e) {
      throw new AssertionError("the node sent a bad frame: " + e.getMessage(), e);
    }
  }

  private static Message decode(MessageCodec.RawMessage frame) {
    try {
      return MessageCodec.decodePayload(frame.command(), frame.payload());
    } catch (WireException e) {
      throw new AssertionError("the node sent a bad '" + frame.command() + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public String toString() {
    return "raw peer " + socket.getLocalSocketAddress() + "->" + socket.getRemoteSocketAddress();
  }
}
