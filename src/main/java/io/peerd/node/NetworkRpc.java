package io.peerd.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.PeerTotals;
import io.peerd.peer.Peer;
import io.peerd.peer.PeerConfig;
import io.peerd.peer.Services;
import io.peerd.rpc.RpcMethod;
import io.peerd.server.ServerState;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The node's network RPC methods, with Bitcoin Core's names and result fields: getnetworkinfo,
 * getnettotals and ping. They read what the server published and never wait for it; while the
 * node is starting they answer RPC_IN_WARMUP.
 */
final class NetworkRpc {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Core's numeric version is 10000 * major + 100 * minor + patch: peerd 0.1.0. */
  static final int VERSION = 100;
  /** Core's default -minrelaytxfee and incremental relay fee, in BTC/kvB (peerd relays no transactions). */
  private static final BigDecimal RELAY_FEE_BTC_PER_KVB = new BigDecimal("0.00001000");
  /** The networks Core lists; peerd reaches IPv4 and IPv6 only, and uses no proxy. */
  private static final List<String> NETWORKS = List.of("ipv4", "ipv6", "onion", "i2p", "cjdns");
  private static final List<String> REACHABLE = List.of("ipv4", "ipv6");
  /** Core's -maxuploadtarget period; peerd sets no target. */
  private static final long UPLOAD_TIMEFRAME_SECONDS = 86_400;

  private final Supplier<Optional<PeerControl>> peers;
  private final LongSupplier nowMillis;

  NetworkRpc(Supplier<Optional<PeerControl>> peers, LongSupplier nowMillis) {
    this.peers = peers;
    this.nowMillis = nowMillis;
  }

  Map<String, RpcMethod> methods() {
    Map<String, RpcMethod> methods = new LinkedHashMap<>();
    methods.put("getnetworkinfo", p -> networkInfo());
    methods.put("getnettotals", p -> netTotals());
    methods.put("ping", p -> {
      PeerControl.started(peers.get()).pingAll();
      return null;
    });
    return methods;
  }

  private Object networkInfo() {
    PeerControl control = PeerControl.started(peers.get());
    List<ServerState.PeerEntry> active = control.activePeers();
    long inbound = active.stream().filter(entry -> entry.kind() == ConnectionKind.INBOUND).count();
    ObjectNode result = JSON.objectNode();
    result.put("version", VERSION);
    result.put("subversion", PeerConfig.USER_AGENT);
    result.put("protocolversion", PeerConfig.PROTOCOL_VERSION);
    result.put("localservices", HexFormat.of().toHexDigits(control.localServices()));
    ArrayNode serviceNames = result.putArray("localservicesnames");
    Services.names(control.localServices()).forEach(serviceNames::add);
    result.put("localrelay", false); // peerd relays no transactions (Core's -blocksonly)
    result.put("timeoffset", medianOutboundTimeOffsetSeconds(active));
    result.put("networkactive", true);
    result.put("connections", active.size());
    result.put("connections_in", inbound);
    result.put("connections_out", active.size() - inbound);
    ArrayNode networks = result.putArray("networks");
    for (String name : NETWORKS) {
      networks.addObject().put("name", name).put("limited", !REACHABLE.contains(name))
          .put("reachable", REACHABLE.contains(name)).put("proxy", "").put("proxy_randomize_credentials", false);
    }
    result.put("relayfee", RELAY_FEE_BTC_PER_KVB);
    result.put("incrementalfee", RELAY_FEE_BTC_PER_KVB);
    result.putArray("localaddresses"); // peerd does not discover its own public addresses
    result.putArray("warnings");
    return result;
  }

  /** As Core 28: the median of the clock offsets outbound peers' versions showed, 0 without any. */
  private static long medianOutboundTimeOffsetSeconds(List<ServerState.PeerEntry> active) {
    long[] offsets = active.stream().filter(entry -> entry.kind().isOutbound())
        .map(ServerState.PeerEntry::peer).filter(Peer.class::isInstance)
        .mapToLong(peer -> ((Peer) peer).stats().timeOffsetSeconds()).sorted().toArray();
    return offsets.length == 0 ? 0 : offsets[offsets.length / 2];
  }

  private Object netTotals() {
    PeerTotals totals = PeerControl.started(peers.get()).peerTotals();
    ObjectNode result = JSON.objectNode();
    result.put("totalbytesrecv", totals.receivedBytes());
    result.put("totalbytessent", totals.sentBytes());
    result.put("timemillis", nowMillis.getAsLong());
    result.putObject("uploadtarget")
        .put("timeframe", UPLOAD_TIMEFRAME_SECONDS)
        .put("target", 0)
        .put("target_reached", false)
        .put("serve_historical_blocks", true)
        .put("bytes_left_in_cycle", 0)
        .put("time_left_in_cycle", 0);
    return result;
  }
}
