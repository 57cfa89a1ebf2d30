package io.peerd.ha;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.netty.NettyProtos.RaftNettyServerRequestProto;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedInputStream;
import org.apache.ratis.thirdparty.com.google.protobuf.Descriptors.FieldDescriptor;
import org.apache.ratis.thirdparty.com.google.protobuf.Message;

/**
 * The links between the members of a Raft group on loopback, through a forward per member: each
 * member listens at a bind address, and the others reach it at its listed address, here. Each
 * forwarded connection is told apart by its first Raft request, which names the member that sent
 * it, so {@link #cutOff} can sever one member from all others in both directions (a partition)
 * while they still reach each other, and {@link #heal} lets them connect again.
 */
final class RaftLinks implements AutoCloseable {
  /** A Ratis Netty frame is a varint length and a request; requests are small but for log entries. */
  private static final int MAX_FIRST_FRAME_BYTES = 16 << 20;
  private static final int BUFFER_BYTES = 16 * 1024;

  private record Link(String from, String to, Socket dialer, Socket target) {}

  private final List<ServerSocket> listeners = new ArrayList<>();
  private final List<HaConfig.Member> listed = new ArrayList<>();
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Set<String> cutOff = ConcurrentHashMap.newKeySet();

  private RaftLinks() {}

  /**
   * Forwards for members whose Raft servers listen at the addresses in {@code bindAt}; the others
   * reach each at its address in {@link #listed}.
   */
  static RaftLinks forward(List<HaConfig.Member> bindAt) throws IOException {
    RaftLinks links = new RaftLinks();
    try {
      for (HaConfig.Member member : bindAt) {
        links.listed.add(new HaConfig.Member(member.id(), links.listen(member.id(), member.address())));
      }
      return links;
    } catch (IOException e) {
      links.close();
      throw e;
    }
  }

  /** The members as the group lists them (--ha-peers): each at its forward. */
  List<HaConfig.Member> listed() {
    return List.copyOf(listed);
  }

  /** Listens at a free loopback port for connections to member {@code to}, at {@code target}. */
  private InetSocketAddress listen(String to, InetSocketAddress target) throws IOException {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    listeners.add(listener);
    Thread.ofVirtual().name("raft-link-accept-" + to).start(() -> acceptLoop(listener, to, target));
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  /** Severs {@code id} from every other member: its links close, and new ones close as they appear. */
  void cutOff(String id) {
    cutOff.add(id);
    links.stream().filter(link -> touches(link, id)).forEach(this::sever);
  }

  /** Lets every member reach every other again. */
  void heal() {
    cutOff.clear();
  }

  @Override
  public void close() throws IOException {
    for (ServerSocket listener : listeners) {
      listener.close();
    }
    links.forEach(this::sever);
  }

  private void acceptLoop(ServerSocket listener, String to, InetSocketAddress target) {
    while (!listener.isClosed()) {
      try {
        Socket dialer = listener.accept();
        Thread.ofVirtual().name("raft-link-" + to).start(() -> relay(dialer, to, target));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void relay(Socket dialer, String to, InetSocketAddress target) {
    try (dialer; Socket targetSide = new Socket()) {
      byte[] firstFrame = readFrame(dialer.getInputStream());
      String from = requestor(firstFrame);
      targetSide.connect(target);
      Link link = new Link(from, to, dialer, targetSide);
      links.add(link);
      if (cutOff.contains(from) || cutOff.contains(to)) {
        sever(link);
        return;
      }
      targetSide.getOutputStream().write(firstFrame);
      Thread back = Thread.ofVirtual().name("raft-link-back-" + to).start(() -> copy(targetSide, dialer));
      copy(dialer, targetSide);
      back.join();
      links.remove(link);
    } catch (IOException | InterruptedException e) {
      // one side went away: the link ends
    }
  }

  /** Reads one varint-framed request: its length prefix and body, as they came. */
  private static byte[] readFrame(InputStream in) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    int length = 0;
    for (int shift = 0; ; shift += 7) {
      int next = in.read();
      if (next < 0 || shift > 28) {
        throw new IOException("no frame length");
      }
      frame.write(next);
      length |= (next & 0x7f) << shift;
      if ((next & 0x80) == 0) {
        break;
      }
    }
    if (length > MAX_FIRST_FRAME_BYTES) {
      throw new IOException("frame of " + length + " bytes");
    }
    frame.write(in.readNBytes(length));
    return frame.toByteArray();
  }

  /** The id of the member that sent this frame: the requestor in its request's first field. */
  private static String requestor(byte[] frame) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(frame);
    in.readRawVarint32(); // the length, read before
    RaftNettyServerRequestProto request = RaftNettyServerRequestProto.parseFrom(in);
    FieldDescriptor chosen = request.getDescriptorForType()
        .findFieldByNumber(request.getRaftNettyServerRequestCase().getNumber());
    if (chosen != null && request.getField(chosen) instanceof Message inner
        && inner.getField(inner.getDescriptorForType().findFieldByNumber(1)) instanceof RaftRpcRequestProto rpc) {
      return rpc.getRequestorId().toStringUtf8();
    }
    throw new IOException("not a Raft server request: " + request.getRaftNettyServerRequestCase());
  }

  private static void copy(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER_BYTES];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // the link is severed or a side closed
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException e) {
        // already closed
      }
    }
  }

  private static boolean touches(Link link, String id) {
    return link.from().equals(id) || link.to().equals(id);
  }

  private void sever(Link link) {
    links.remove(link);
    closeQuietly(link.dialer());
    closeQuietly(link.target());
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
