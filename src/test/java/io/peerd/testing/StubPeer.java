package io.peerd.testing;

import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.ManagedPeer;
import io.peerd.wire.Message;
import java.net.InetSocketAddress;

/** A peer that only has an id, a kind and an address: for code that reads nothing else of it. */
public record StubPeer(long id, ConnectionKind kind, InetSocketAddress remoteAddress, long localNonce)
    implements ManagedPeer {
  @Override
  public void start() {}

  @Override
  public long closingSinceNanos() {
    return 0;
  }

  @Override
  public java.util.List<Thread> liveThreads() {
    return java.util.List.of();
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
