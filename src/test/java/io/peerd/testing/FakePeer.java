package io.peerd.testing;

import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.ManagedPeer;
import io.peerd.peer.PeerEvents;
import io.peerd.peer.PeerLifecycle;
import io.peerd.peer.Services;
import io.peerd.wire.Message;
import io.peerd.wire.NetworkAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer without a socket, for lifecycle tests: the real {@link PeerLifecycle} task reports its
 * "added" and "done" to the real server, and test threads play the peer's reader (version,
 * handshake completion) and its closers (disconnect, handshake timeout).
 */
public final class FakePeer implements ManagedPeer {
  private static final AtomicInteger NEXT_PORT = new AtomicInteger(20_000);
  /** Built without a name lookup, whose caches a model checker would have to explore too. */
  public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final long id;
  private final InetSocketAddress remote;
  private final ThreadFactory threads;
  private final PeerLifecycle lifecycle;
  private final Message.Version version;
  private final CompletableFuture<Boolean> admission = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread lifecycleThread;

  public FakePeer(long id, PeerEvents events, ThreadFactory threads) {
    this.id = id;
    this.remote = new InetSocketAddress(LOOPBACK, NEXT_PORT.incrementAndGet());
    this.threads = threads;
    this.lifecycle = new PeerLifecycle(this, events);
    NetworkAddress none = new NetworkAddress(0, new byte[16], 0);
    this.version = new Message.Version(70016, Services.NODE_NETWORK | Services.NODE_WITNESS, 0, none, none,
        id, "/fake/", 1, false, true); // claims a block beyond genesis, so it can become the sync peer
  }

  /** What the reader does: hand the version to the server and wait for its decision. */
  public boolean sendVersionAndAwaitAdmission(PeerEvents events) {
    sendVersion(events);
    return admission.join();
  }

  public void sendVersion(PeerEvents events) {
    events.versionReceived(this, version);
  }

  /** The reader saw verack. */
  public void completeHandshake() {
    lifecycle.handshakeCompleted();
  }

  public PeerLifecycle lifecycle() {
    return lifecycle;
  }

  /** Waits for the lifecycle task, which ends right after sending "done". */
  public void awaitDone() throws InterruptedException {
    Thread thread = lifecycleThread;
    if (thread != null) {
      thread.join();
    }
  }

  @Override
  public void start() {
    Thread thread = threads.newThread(lifecycle);
    lifecycleThread = thread;
    thread.start();
  }

  @Override
  public void admit() {
    admission.complete(true);
  }

  /** Fake peers forward nothing themselves: test threads do, whenever they choose. */
  @Override
  public void activated() {}

  @Override
  public long localNonce() {
    return -id;
  }

  @Override
  public void newBlockDelivered() {}

  @Override
  public long minPingNanos() {
    return Long.MAX_VALUE;
  }

  @Override
  public long lastNewBlockMillis() {
    return 0;
  }

  @Override
  public long closingSinceNanos() {
    return 0;
  }

  @Override
  public java.util.List<Thread> liveThreads() {
    return java.util.List.of();
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public ConnectionKind kind() {
    return ConnectionKind.INBOUND;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public Message.Version version() {
    return version;
  }

  @Override
  public boolean prefersHeaderAnnouncements() {
    return false;
  }

  @Override
  public boolean send(Message message) {
    return !closed.get();
  }

  /** Closing a real peer ends its threads, which tells the lifecycle task; here at once. */
  @Override
  public void disconnect(DisconnectReason reason, String detail) {
    if (closed.compareAndSet(false, true)) {
      admission.complete(false);
      lifecycle.closed();
    }
  }

  /** The remote end closed, as the scenarios say it in words. */
  public void disconnect(String detail) {
    disconnect(DisconnectReason.CONNECTION_LOST, detail);
  }

  @Override
  public void misbehaving(int score, String reason) {}

  @Override
  public String toString() {
    return "fake peer " + id;
  }
}
