package io.peerd.peer;

import io.peerd.chain.ChainActor;
import io.peerd.wire.Message;
import java.net.InetSocketAddress;

/**
 * A peer as the actors see it: every method is thread-safe and non-blocking. {@link Peer}
 * implements it; lifecycle tests use lightweight fakes.
 */
public interface PeerHandle extends ChainActor.Source {
  /** Unique for the process, increasing in connection order. */
  long id();

  ConnectionKind kind();

  InetSocketAddress remoteAddress();

  /** The remote's version message; null before it arrived. */
  Message.Version version();

  /** True once the peer sent sendheaders (BIP130): announce new blocks with headers. */
  boolean prefersHeaderAnnouncements();

  /**
   * Queues a message; never blocks. False if the peer is closed, or its send queue would pass its
   * byte cap (the peer is then disconnected as too slow).
   */
  boolean send(Message message);

  /** Closes the connection; idempotent, the first reason is kept. */
  void disconnect(DisconnectReason reason, String detail);

  /** The peer delivered a block new to us, which the chain stored: eviction protects such peers. */
  void newBlockDelivered();

  default boolean isInbound() {
    return kind() == ConnectionKind.INBOUND;
  }

  /** Services from the version message, 0 before it. */
  default long services() {
    Message.Version version = version();
    return version == null ? 0 : version.services();
  }

  /** The height the peer announced in its version message, 0 before it. */
  default int startHeight() {
    Message.Version version = version();
    return version == null ? 0 : version.startHeight();
  }
}
