package io.peerd.node;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.Peer;
import io.peerd.peer.PeerStats;
import io.peerd.peer.PingTimes;
import io.peerd.peer.Services;
import io.peerd.sync.SyncState;
import io.peerd.wire.Message;
import io.peerd.wire.NetworkAddress;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One getpeerinfo entry: Bitcoin Core's fields, names, units and order, from what the peer
 * counted ({@link PeerStats}, {@link PingTimes}) and what the sync manager published. A field
 * about something peerd does not do has the value Core shows for a peer that never did it
 * (no transactions relayed, no compact blocks, no permissions, v1 transport).
 */
final class PeerInfo {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** What Core shows before it knows anything of a peer's sync. */
  private static final SyncState.PeerSync UNKNOWN_SYNC = new SyncState.PeerSync(-1, -1, List.of());
  /** The characters Core keeps in a user agent it shows (its SAFE_CHARS_DEFAULT). */
  private static final String SAFE_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;-_/:?@()";
  private static final int SATOSHI_DECIMALS = 8;

  private PeerInfo() {}

  /** @param sync what the sync manager knows of the peer, null if it has not handled its "added" */
  static ObjectNode of(Peer peer, SyncState.PeerSync sync) {
    // One read of each direction, so that totals and shares agree.
    PeerStats.Traffic sent = peer.stats().sentTraffic();
    PeerStats.Traffic received = peer.stats().receivedTraffic();
    ObjectNode info = JSON.objectNode();
    addresses(info, peer);
    traffic(info, peer, sent, received);
    handshake(info, peer);
    sync(info, sync == null ? UNKNOWN_SYNC : sync);
    relay(info, peer);
    sent.bytesByCommand().forEach(info.putObject("bytessent_per_msg")::put);
    received.bytesByCommand().forEach(info.putObject("bytesrecv_per_msg")::put);
    info.put("connection_type", connectionType(peer.kind()));
    info.put("transport_protocol_type", "v1");
    info.put("session_id", "");
    info.put("misbehavior_score", peer.misbehaviorScore());
    return info;
  }

  private static void addresses(ObjectNode info, Peer peer) {
    info.put("id", peer.id());
    info.put("addr", HostPort.format(peer.remoteAddress()));
    info.put("addrbind", HostPort.format(peer.localAddress()));
    NetworkAddress reported = peer.version().receiver(); // 0.0.0.0 or :: when the peer does not say
    if (!reported.toInetAddress().isAnyLocalAddress()) {
      info.put("addrlocal", HostPort.format(reported.toSocketAddress()));
    }
    info.put("network", Networks.name(peer.remoteAddress().getAddress()));
    info.put("services", String.format("%016x", peer.services()));
    Services.names(peer.services()).forEach(info.putArray("servicesnames")::add);
  }

  private static void traffic(ObjectNode info, Peer peer, PeerStats.Traffic sent, PeerStats.Traffic received) {
    PeerStats stats = peer.stats();
    info.put("relaytxes", false); // peerd has no mempool and relays no transactions
    info.put("lastsend", seconds(stats.lastSentMillis()));
    info.put("lastrecv", seconds(stats.lastReceivedMillis()));
    info.put("last_transaction", 0);
    info.put("last_block", seconds(stats.lastNewBlockMillis()));
    info.put("bytessent", sent.totalBytes());
    info.put("bytesrecv", received.totalBytes());
    info.put("conntime", seconds(stats.connectedAtMillis()));
    info.put("timeoffset", stats.timeOffsetSeconds());
    PingTimes ping = peer.pingTimes();
    putSecondsIfKnown(info, "pingtime", ping.lastRoundTripNanos());
    putSecondsIfKnown(info, "minping", ping.minRoundTripNanos());
    putSecondsIfKnown(info, "pingwait", ping.waitingNanos());
  }

  private static void handshake(ObjectNode info, Peer peer) {
    Message.Version version = peer.version();
    info.put("version", version.protocolVersion());
    info.put("subver", sanitized(version.userAgent()));
    info.put("inbound", peer.isInbound());
    info.put("bip152_hb_to", false);
    info.put("bip152_hb_from", false);
    info.put("startingheight", version.startHeight());
  }

  private static void sync(ObjectNode info, SyncState.PeerSync sync) {
    info.put("presynced_headers", -1); // peerd has no low-work header presync
    info.put("synced_headers", sync.syncedHeaders());
    info.put("synced_blocks", sync.syncedBlocks());
    sync.inflightHeights().forEach(info.putArray("inflight")::add);
  }

  private static void relay(ObjectNode info, Peer peer) {
    info.put("addr_relay_enabled", peer.kind().relaysAddresses());
    info.put("addr_processed", peer.stats().addressesProcessed());
    info.put("addr_rate_limited", peer.stats().addressesRateLimited());
    info.putArray("permissions");
    // A decimal node as it is, so the amount keeps its 8 decimals as Core writes amounts.
    BigDecimal feeFilter = BigDecimal.valueOf(peer.stats().feeFilterSatoshisPerKb(), SATOSHI_DECIMALS);
    info.set("minfeefilter", DecimalNode.valueOf(feeFilter));
  }

  /** Core's names; a one-try connection (addnode onetry) is "manual" there too. */
  static String connectionType(ConnectionKind kind) {
    return switch (kind) {
      case INBOUND -> "inbound";
      case OUTBOUND_FULL -> "outbound-full-relay";
      case OUTBOUND_BLOCK_RELAY -> "block-relay-only";
      case MANUAL, ONE_TRY -> "manual";
    };
  }

  /** Core shows times as whole seconds since the epoch, 0 for never. */
  private static long seconds(long epochMillis) {
    return TimeUnit.MILLISECONDS.toSeconds(epochMillis);
  }

  /** Core shows durations in seconds to the microsecond, and leaves out the unknown ones. */
  private static void putSecondsIfKnown(ObjectNode info, String field, long nanos) {
    if (nanos >= 0) {
      info.put(field, TimeUnit.NANOSECONDS.toMicros(nanos) / 1e6);
    }
  }

  /** A peer's user agent as Core shows it: only its safe characters, so none can mislead a reader. */
  static String sanitized(String userAgent) {
    StringBuilder safe = new StringBuilder(userAgent.length());
    userAgent.chars().filter(c -> SAFE_CHARS.indexOf(c) >= 0).forEach(safe::appendCodePoint);
    return safe.toString();
  }
}
