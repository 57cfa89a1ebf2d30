package io.peerd.server;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerConfig;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.ManagedPeer;
import io.peerd.wire.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Random;

/** A peer that only has an id, a kind and an address, and a worker that is never started. */
final class RegistryFakes {
  private RegistryFakes() {}

  record FakePeer(long id, ConnectionKind kind, InetSocketAddress remoteAddress, long localNonce) implements ManagedPeer {
    @Override
    public void start() {}

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

  /** An idle worker: the registry only compares workers by identity. */
  static ConnectionWorker worker(InetSocketAddress peer) {
    return new ConnectionWorker(peer, null, null, WorkerConfig.defaults(), null, null, null, () -> 0, new Random(0), 0);
  }

  static InetSocketAddress address(String ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
