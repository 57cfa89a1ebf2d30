package io.peerd.testing;

import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.ManagedPeer;
import io.peerd.wire.Message;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A peer that only has an id, a kind and an address (and, for the watchdog, when it began to
 * close and which of its threads run): for code that reads nothing else of it.
 */
public record StubPeer(long id, ConnectionKind kind, InetSocketAddress remoteAddress, long localNonce,
    long closingSinceNanos, List<Thread> liveThreads) implements ManagedPeer {
  /** An open peer without threads. */
  public StubPeer(long id, ConnectionKind kind, InetSocketAddress remoteAddress, long localNonce) {
    this(id, kind, remoteAddress, localNonce, 0, List.of());
  }

  @Override
  public void start() {}

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
  public void admit() {}

  @Override
  public void activated() {}

  @Override
  public Message.Version version() {
    return null;
  }

  @Override
  public boolean prefersHeaderAnnouncements() {
    return false;
  }

  @Override
  public boolean send(Message message) {
    return false;
  }

  @Override
  public void disconnect(DisconnectReason reason, String detail) {}

  @Override
  public void misbehaving(int score, String reason) {}
}
