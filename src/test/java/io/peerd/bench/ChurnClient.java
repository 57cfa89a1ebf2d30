package io.peerd.bench;

import io.peerd.chain.NetworkParameters;
import io.peerd.peer.PeerConfig;
import io.peerd.peer.Services;
import io.peerd.testing.RawPeer;
import io.peerd.wire.FrameHeader;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import io.peerd.wire.NetworkAddress;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The churn client of {@link ChurnBenchmark}, the same code for every target node: waves of
 * connections that all start at once, each from a loopback address of its own, each doing the
 * inbound version/verack handshake and closing at once; a wave ends when all its connections
 * have. Every connection's outcome is classified, so a refusal the node chose (it closed the
 * socket before saying anything, as peerd's admission and bcoin's inbound limit do) is not
 * counted as a failed handshake.
 *
 * <p>Cheap per cycle, so that the node rather than the client is what the cores are busy with:
 * one thread (the caller's) drives a wave's non-blocking sockets with a selector, writes frames
 * encoded once, and reads only the node's frame headers (magic, command, length), skipping
 * payloads unchecked. It behaves as {@link RawPeer#handshake} did for the earlier client: each
 * step (connect, the node's version, its verack) may take up to {@link RawPeer#TIMEOUT}, and a
 * frame counts once its payload has arrived.
 */
final class ChurnClient {
  private static final long TIMEOUT_NANOS = RawPeer.TIMEOUT.toNanos();
  private static final int MAGIC = NetworkParameters.REGTEST.magic();
  /** What one read takes at most: a wave's handshake frames are a few hundred bytes a connection. */
  private static final int READ_BUFFER_BYTES = 64 * 1024;
  private static final int COMMAND_OFFSET = 4;
  private static final int LENGTH_OFFSET = COMMAND_OFFSET + FrameHeader.COMMAND_BYTES;

  /** What became of one connection. */
  enum Outcome {
    COMPLETED("handshake completed"),
    REFUSED("refused: closed by the node before its version (admission)"),
    CONNECT_FAILED("failed: TCP connect"),
    TIMED_OUT("failed: no answer within " + RawPeer.TIMEOUT.toSeconds() + " s"),
    CLOSED_MID_HANDSHAKE("failed: closed by the node after its version, before its verack"),
    OTHER("failed: other");

    final String text;

    Outcome(String text) {
      this.text = text;
    }

    boolean failed() {
      return this != COMPLETED && this != REFUSED;
    }
  }

  /** Several waves together: counts by outcome, wall time, and each wave's time. */
  record Result(int waves, int wavePeers, Map<Outcome, Long> outcomes, long wallNanos, List<Long> waveNanos,
      Map<Outcome, String> firstError) {
    long count(Outcome outcome) {
      return outcomes.getOrDefault(outcome, 0L);
    }

    long failed() {
      return outcomes.entrySet().stream().filter(e -> e.getKey().failed()).mapToLong(Map.Entry::getValue).sum();
    }

    double cyclesPerSecond() {
      return count(Outcome.COMPLETED) / (wallNanos / 1e9);
    }
  }

  /**
   * Where a connection is, and how it ends if the node closes it (or a write to it fails) there:
   * before the node's version that is the node's refusal, after it a failed handshake.
   */
  private enum Phase {
    CONNECTING(Outcome.CONNECT_FAILED, "no TCP connection"),
    AWAIT_VERSION(Outcome.REFUSED, "no version"),
    AWAIT_VERACK(Outcome.CLOSED_MID_HANDSHAKE, "no verack");

    final Outcome whenClosed;
    final String whenTimedOut;

    Phase(Outcome whenClosed, String whenTimedOut) {
      this.whenClosed = whenClosed;
      this.whenTimedOut = whenTimedOut;
    }
  }

  private final InetSocketAddress target;
  private final int wavePeers;
  /** Our version's nonce: one for all connections, as the node checks it only against its own. */
  private final long nonce = ThreadLocalRandom.current().nextLong();
  private final byte[] verackFrame = MessageCodec.encode(MAGIC, new Message.Verack());
  /** Shared by all connections: the selector thread reads into it and consumes it at once. */
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
  /** Counts connections over all waves, so consecutive ones get different source addresses. */
  private long connectionsMade;

  ChurnClient(InetSocketAddress target, int wavePeers) {
    this.target = target;
    this.wavePeers = wavePeers;
  }

  /** Runs {@code waves} waves back to back. */
  Result run(int waves) throws IOException {
    Tally tally = new Tally();
    List<Long> waveNanos = new ArrayList<>();
    long wallNanos;
    try (Selector selector = Selector.open()) {
      long start = System.nanoTime();
      for (int w = 0; w < waves; w++) {
        long waveStart = System.nanoTime();
        new Wave(selector, tally, versionFrame()).run();
        waveNanos.add(System.nanoTime() - waveStart);
      }
      wallNanos = System.nanoTime() - start;
    }
    return new Result(waves, wavePeers, tally.outcomes(), wallNanos, waveNanos, Map.copyOf(tally.firstError));
  }

  /**
   * Connection {@code n}'s source, 127.a.b.c: consecutive connections differ in a (the /16) and
   * b, so each of a wave's connections has a /24 of its own and per-network limits never bite.
   */
  static InetAddress sourceAddress(long n) {
    int a = 1 + (int) (n % 250);
    int b = (int) (n / 250 % 250);
    int c = 1 + (int) (n / 62_500 % 250);
    try {
      return InetAddress.getByAddress(new byte[] {127, (byte) a, (byte) b, (byte) c});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The version {@link RawPeer#sendVersion()} sends (a current full node at height 0, not
   * listening), encoded once per wave so its timestamp stays current over a long run.
   */
  private byte[] versionFrame() {
    long services = Services.NODE_NETWORK | Services.NODE_WITNESS;
    Message.Version version = new Message.Version(PeerConfig.PROTOCOL_VERSION, services,
        System.currentTimeMillis() / 1000, NetworkAddress.of(target, 0), new NetworkAddress(services, new byte[16], 0),
        nonce, "/rawpeer:0.1/", 0, false, true);
    return MessageCodec.encode(MAGIC, version);
  }

  /** Counts by outcome and each outcome's first error, over one {@link #run}. */
  private static final class Tally {
    private final long[] counts = new long[Outcome.values().length];
    private final Map<Outcome, String> firstError = new EnumMap<>(Outcome.class);

    void add(Outcome outcome, String error) {
      counts[outcome.ordinal()]++;
      if (error != null) {
        firstError.putIfAbsent(outcome, error);
      }
    }

    Map<Outcome, Long> outcomes() {
      Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
      for (Outcome outcome : Outcome.values()) {
        outcomes.put(outcome, counts[outcome.ordinal()]);
      }
      return outcomes;
    }
  }

  /** One wave: its connections all start, then the selector drives them until each has an outcome. */
  private final class Wave {
    private final Selector selector;
    private final Tally tally;
    private final byte[] versionFrame;
    private final List<Connection> connections = new ArrayList<>(wavePeers);
    private int unfinished;

    Wave(Selector selector, Tally tally, byte[] versionFrame) {
      this.selector = selector;
      this.tally = tally;
      this.versionFrame = versionFrame;
    }

    void run() throws IOException {
      unfinished = wavePeers;
      // a deadline only moves later, so none falls due before the earliest one seen at the last check
      long nextDeadlineNanos = System.nanoTime() + TIMEOUT_NANOS;
      for (int i = 0; i < wavePeers; i++) {
        Connection connection = new Connection();
        connections.add(connection);
        connection.start(sourceAddress(connectionsMade++));
      }
      while (unfinished > 0) {
        long waitMillis = Math.max(1, Math.ceilDiv(nextDeadlineNanos - System.nanoTime(), 1_000_000));
        selector.select(key -> ((Connection) key.attachment()).ready(), waitMillis);
        long now = System.nanoTime();
        if (now - nextDeadlineNanos >= 0) {
          nextDeadlineNanos = expire(now);
        }
      }
      // a closed channel's socket is released only when a selection deregisters it
      selector.selectNow();
    }

    /** Ends the connections whose deadline has passed; returns the earliest deadline left. */
    private long expire(long now) {
      long earliest = now + TIMEOUT_NANOS;
      for (Connection connection : connections) {
        if (connection.finished) {
          continue;
        }
        if (now - connection.deadlineNanos >= 0) {
          connection.timedOut();
        } else if (connection.deadlineNanos - earliest < 0) {
          earliest = connection.deadlineNanos;
        }
      }
      return earliest;
    }

    /** One connect, handshake and close, a step at a time as the selector finds it ready. */
    private final class Connection {
      private SocketChannel channel;
      private Phase phase = Phase.CONNECTING;
      /** When the current phase times out: each step gets the full timeout, as each RawPeer read did. */
      private long deadlineNanos;
      private boolean finished;
      private final byte[] header = new byte[FrameHeader.SIZE_BYTES];
      private int headerBytes;
      /** Payload bytes of the current frame still to skip: the frame counts once they have arrived. */
      private long payloadBytesLeft;
      /** Whether the current frame is the one the phase waits for; others are skipped. */
      private boolean wanted;

      void start(InetAddress from) {
        deadlineNanos = System.nanoTime() + TIMEOUT_NANOS;
        try {
          channel = SocketChannel.open(StandardProtocolFamily.INET); // a dual-stack socket costs a setsockopt more
          channel.configureBlocking(false);
          channel.bind(new InetSocketAddress(from, 0));
          // on loopback the TCP handshake is usually done when connect returns: no OP_CONNECT to register
          if (channel.connect(target) || channel.finishConnect()) {
            sendVersion();
          } else {
            channel.register(selector, SelectionKey.OP_CONNECT, this);
          }
        } catch (IOException | RuntimeException e) {
          failed(e);
        }
      }

      void ready() {
        try {
          if (phase == Phase.CONNECTING) {
            if (channel.finishConnect()) {
              sendVersion();
            }
          } else {
            read();
          }
        } catch (IOException | RuntimeException e) {
          failed(e);
        }
      }

      void timedOut() {
        finish(phase == Phase.CONNECTING ? Outcome.CONNECT_FAILED : Outcome.TIMED_OUT,
            phase.whenTimedOut + " within " + RawPeer.TIMEOUT + " (" + this + ")");
      }

      private void sendVersion() throws IOException {
        enter(Phase.AWAIT_VERSION);
        write(versionFrame);
        channel.register(selector, SelectionKey.OP_READ, this);
      }

      /** Takes what has arrived; the selector calls again while more is waiting. */
      private void read() throws IOException {
        ByteBuffer buffer = readBuffer.clear();
        if (channel.read(buffer) < 0) {
          throw new EOFException("end of stream");
        }
        buffer.flip();
        while (buffer.hasRemaining() && !finished) {
          consume(buffer);
        }
      }

      /** Takes header bytes, or payload bytes to skip, and acts on a frame once it has all arrived. */
      private void consume(ByteBuffer buffer) throws IOException {
        if (headerBytes < header.length) {
          int taken = Math.min(header.length - headerBytes, buffer.remaining());
          buffer.get(header, headerBytes, taken);
          headerBytes += taken;
          if (headerBytes < header.length || !headerAccepted()) {
            return;
          }
        } else {
          int skipped = (int) Math.min(payloadBytesLeft, buffer.remaining());
          buffer.position(buffer.position() + skipped);
          payloadBytesLeft -= skipped;
        }
        if (payloadBytesLeft == 0) {
          headerBytes = 0;
          if (wanted) {
            frameArrived();
          }
        }
      }

      /** Reads a complete header; a bad magic or an oversized payload ends the connection as OTHER. */
      private boolean headerAccepted() {
        if (!Arrays.equals(header, 0, COMMAND_OFFSET, verackFrame, 0, COMMAND_OFFSET)) {
          finish(Outcome.OTHER, "the node sent a bad frame: magic "
              + Integer.toHexString(ByteBuffer.wrap(header).getInt(0)) + " (" + this + ")");
          return false;
        }
        payloadBytesLeft = Integer.toUnsignedLong(ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN)
            .getInt(LENGTH_OFFSET));
        if (payloadBytesLeft > FrameHeader.MAX_PAYLOAD_BYTES) {
          finish(Outcome.OTHER, "the node sent a bad frame: '" + FrameHeader.commandOf(header) + "' of "
              + payloadBytesLeft + " bytes (" + this + ")");
          return false;
        }
        byte[] expected = phase == Phase.AWAIT_VERSION ? versionFrame : verackFrame;
        wanted = Arrays.equals(header, COMMAND_OFFSET, LENGTH_OFFSET, expected, COMMAND_OFFSET, LENGTH_OFFSET);
        return true;
      }

      private void frameArrived() throws IOException {
        if (phase == Phase.AWAIT_VERSION) {
          enter(Phase.AWAIT_VERACK);
        } else {
          write(verackFrame);
          finish(Outcome.COMPLETED, null);
        }
      }

      private void enter(Phase next) {
        phase = next;
        deadlineNanos = System.nanoTime() + TIMEOUT_NANOS;
      }

      /** A frame goes out whole: it is far smaller than a new socket's send buffer. */
      private void write(byte[] frame) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        channel.write(buffer);
        if (buffer.hasRemaining()) {
          throw new IllegalStateException("wrote " + buffer.position() + " of a " + frame.length + "-byte frame");
        }
      }

      /** An I/O failure ends the connection as its phase says (a refusal carries no error); anything else is OTHER. */
      private void failed(Exception e) {
        if (e instanceof IOException) {
          finish(phase.whenClosed, phase.whenClosed == Outcome.REFUSED ? null : e.toString());
        } else {
          finish(Outcome.OTHER, e.toString());
        }
      }

      private void finish(Outcome outcome, String error) {
        finished = true;
        unfinished--;
        tally.add(outcome, error);
        if (channel != null) {
          try (SocketChannel closing = channel) {
            // a reset, as the node got from RawPeer closing with its post-handshake messages unread;
            // closing a registered channel gracefully would cost a shutdown more
            closing.setOption(StandardSocketOptions.SO_LINGER, 0);
          } catch (IOException e) {
            // the outcome is decided, and a channel is closed even when closing it fails
          }
        }
      }

      @Override
      public String toString() {
        return "churn connection " + (channel == null ? "unopened" : channel.socket().getLocalSocketAddress())
            + "->" + target;
      }
    }
  }
}
