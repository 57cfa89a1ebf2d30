package io.peerd.metrics;

import static io.peerd.metrics.Meters.counter;
import static io.peerd.metrics.Meters.gauge;
import static io.peerd.metrics.Meters.label;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.PeerTotals;
import io.peerd.server.InboundRefusal;
import io.peerd.server.ServerCounters;
import io.peerd.server.ServerState;
import io.peerd.wire.Commands;

/**
 * Peers and traffic: connections by direction and type, bytes and messages per command, handshake
 * outcomes, inbound refusals, bans. Gauges read the server's last published peer list; counters
 * read {@link PeerTotals} and {@link ServerCounters}, which only grow.
 */
final class PeerMeters {
  private PeerMeters() {}

  static void bind(MeterRegistry registry, ServerState server, PeerTotals peers) {
    for (ConnectionKind kind : ConnectionKind.values()) {
      gauge(registry, "peerd.peers", "Connections whose handshake completed, by direction and type",
          Tags.of("direction", kind.isOutbound() ? "outbound" : "inbound", "type", label(kind)),
          () -> server.activePeers().stream().filter(p -> p.kind() == kind).count());
    }
    gauge(registry, "peerd.peers.handshaking", "Connections whose handshake has not completed", Tags.empty(),
        () -> server.peers().stream().filter(p -> !p.active()).count());
    traffic(registry, "peerd.network.received.bytes", "Frame bytes received, header included", peers,
        PeerTotals::receivedBytes);
    traffic(registry, "peerd.network.sent.bytes", "Frame bytes sent, header included", peers, PeerTotals::sentBytes);
    traffic(registry, "peerd.network.received.messages", "Messages received", peers, PeerTotals::receivedMessages);
    traffic(registry, "peerd.network.sent.messages", "Messages sent", peers, PeerTotals::sentMessages);
    counter(registry, "peerd.handshakes.completed", "Handshakes completed", Tags.empty(), peers,
        PeerTotals::handshakesCompleted);
    for (DisconnectReason reason : DisconnectReason.values()) {
      Tags tags = Tags.of("reason", label(reason));
      counter(registry, "peerd.handshakes.failed", "Connections closed before their handshake completed", tags,
          peers, p -> p.handshakesFailed(reason));
      counter(registry, "peerd.peer.disconnects", "Connections closed after their handshake completed", tags,
          peers, p -> p.disconnects(reason));
    }
    bans(registry, server);
  }

  private static void bans(MeterRegistry registry, ServerState server) {
    ServerCounters counters = server.counters();
    for (InboundRefusal reason : InboundRefusal.values()) {
      counter(registry, "peerd.inbound.refused", "Inbound sockets closed before their handshake began",
          Tags.of("reason", label(reason)), counters, c -> c.inboundRefused(reason));
    }
    counter(registry, "peerd.bans", "Subnets banned by the operator (setban add)", Tags.empty(), counters,
        ServerCounters::bans);
    counter(registry, "peerd.discouragements", "Addresses discouraged for misbehaving", Tags.empty(), counters,
        ServerCounters::discouragements);
    gauge(registry, "peerd.banned.subnets", "Subnets banned now", Tags.empty(), () -> {
      long nowSeconds = System.currentTimeMillis() / 1000;
      return server.bans().stream().filter(ban -> ban.untilSeconds() > nowSeconds).count();
    });
  }

  /** One series per command: {@link Commands} is a fixed list, a made-up command counts as Core's "*other*". */
  private static void traffic(MeterRegistry registry, String name, String description, PeerTotals peers,
      ByCommand byCommand) {
    for (int i = 0; i < Commands.COUNT; i++) {
      int index = i;
      counter(registry, name, description + ", by command", Tags.of("command", Commands.name(i)), peers,
          p -> byCommand.count(p, index));
    }
  }

  /** One of {@link PeerTotals}' per-command figures. */
  private interface ByCommand {
    long count(PeerTotals totals, int commandIndex);
  }
}
