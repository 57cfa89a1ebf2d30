package io.peerd.api;

import io.peerd.peer.PeerHandle;
import java.net.InetSocketAddress;

/**
 * A connected peer.
 *
 * @param id unique in the process, increasing in connection order
 * @param userAgent what the peer calls itself in its version message, e.g. "/Satoshi:30.0.0/"
 * @param startHeight the height the peer announced when it connected
 */
public record PeerInfo(long id, InetSocketAddress address, Direction direction, String userAgent, int startHeight) {
  /** Who opened the connection. */
  public enum Direction { INBOUND, OUTBOUND }

  static PeerInfo of(PeerHandle peer) {
    return new PeerInfo(peer.id(), peer.remoteAddress(), peer.isInbound() ? Direction.INBOUND : Direction.OUTBOUND,
        peer.version() == null ? "" : peer.version().userAgent(), peer.startHeight());
  }
}
