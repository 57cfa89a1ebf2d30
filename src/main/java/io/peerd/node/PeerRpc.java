package io.peerd.node;

import io.peerd.net.HostPort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.Peer;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.rpc.RpcMethod;
import io.peerd.rpc.RpcParams;
import io.peerd.server.RequestRefused;
import io.peerd.server.Server;
import io.peerd.server.ServerState;
import io.peerd.sync.SyncState;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The peers' RPC methods, with Bitcoin Core's names, parameters, result fields and error codes.
 * They read what the server and the sync manager published, and wait a bounded time for the
 * server's answer to a request; while the node is starting they answer RPC_IN_WARMUP.
 */
final class PeerRpc {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Supplier<Optional<PeerControl>> peers;
  private final int defaultPort;

  /**
   * @param peers the server's peers, empty until the server started
   * @param defaultPort the network's P2P port, for an address given without one
   */
  PeerRpc(Supplier<Optional<PeerControl>> peers, int defaultPort) {
    this.peers = peers;
    this.defaultPort = defaultPort;
  }

  Map<String, RpcMethod> methods() {
    Map<String, RpcMethod> methods = new LinkedHashMap<>();
    methods.put("getpeerinfo", p -> peerInfo());
    methods.put("getconnectioncount", p -> peers().activePeers().size());
    methods.put("addnode", this::addNode);
    methods.put("disconnectnode", this::disconnectNode);
    methods.put("getaddednodeinfo", this::addedNodeInfo);
    return methods;
  }

  private PeerControl peers() {
    return PeerControl.started(peers.get());
  }

  private Object peerInfo() {
    PeerControl control = peers();
    Map<Long, SyncState.PeerSync> sync = control.peerSync();
    ArrayNode result = JSON.arrayNode();
    for (ServerState.PeerEntry entry : control.activePeers()) {
      if (entry.peer() instanceof Peer peer) { // the only kind a node's server makes; tests' fakes have no stats
        result.add(PeerInfo.of(peer, sync.get(peer.id())));
      }
    }
    return result;
  }

  private Object addNode(JsonNode params) {
    RpcParams.rejectUnknown(params, "node", "command");
    InetSocketAddress address = peerAddress(RpcParams.requiredString(params, 0, "node"));
    Server.AddNodeCommand command = switch (RpcParams.requiredString(params, 1, "command")) {
      case "add" -> Server.AddNodeCommand.ADD;
      case "remove" -> Server.AddNodeCommand.REMOVE;
      case "onetry" -> Server.AddNodeCommand.ONETRY;
      default -> throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER,
          "command must be one of add, remove, onetry");
    };
    ActorReplies.await(peers().addNode(address, command), ActorReplies.REQUEST_TIMEOUT_MILLIS);
    return null;
  }

  /**
   * Core's rules: an address alone disconnects by address; a node id with no address, or an
   * empty one, by id; anything else is refused. An address that names no peer, or nothing at
   * all, is not found.
   */
  private Object disconnectNode(JsonNode params) {
    RpcParams.rejectUnknown(params, "address", "nodeid");
    String address = RpcParams.optionalString(params, 0, "address", null);
    OptionalLong nodeId = RpcParams.optionalLong(params, 1, "nodeid");
    PeerControl control = peers();
    CompletableFuture<Void> reply;
    if (address != null && nodeId.isEmpty()) {
      reply = control.disconnectNode(Optional.of(connectedAddress(address)), Optional.empty());
    } else if (nodeId.isPresent() && (address == null || address.isEmpty())) {
      reply = control.disconnectNode(Optional.empty(), Optional.of(nodeId.getAsLong()));
    } else {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMS, "Only one of address and nodeid should be provided.");
    }
    ActorReplies.await(reply, ActorReplies.REQUEST_TIMEOUT_MILLIS);
    return null;
  }

  private InetSocketAddress connectedAddress(String text) {
    try {
      return HostPort.parse(text, defaultPort);
    } catch (IllegalArgumentException e) {
      throw ActorReplies.rpcError(RequestRefused.nodeNotConnected());
    }
  }

  private Object addedNodeInfo(JsonNode params) {
    RpcParams.rejectUnknown(params, "node");
    String filter = RpcParams.optionalString(params, 0, "node", null);
    Optional<InetSocketAddress> wanted = Optional.ofNullable(filter).map(this::peerAddress);
    PeerControl control = peers();
    List<ConnectionWorker.Info> added = control.addedNodes().stream()
        .filter(info -> wanted.map(a -> a.equals(info.peer())).orElse(true)).toList();
    if (wanted.isPresent() && added.isEmpty()) {
      throw new RpcException(RpcErrorCode.RPC_CLIENT_NODE_NOT_ADDED, "Error: Node has not been added.");
    }
    ArrayNode result = JSON.arrayNode();
    List<ServerState.PeerEntry> active = control.activePeers();
    added.forEach(info -> result.add(addedNode(info, connectionTo(info, active))));
    return result;
  }

  /** One getaddednodeinfo entry, with peerd's own state, backoff and next attempt time. */
  private static ObjectNode addedNode(ConnectionWorker.Info info, Optional<ServerState.PeerEntry> link) {
    ObjectNode entry = JSON.objectNode();
    entry.put("addednode", HostPort.format(info.peer()));
    entry.put("connected", link.isPresent());
    ArrayNode addresses = entry.putArray("addresses");
    for (InetSocketAddress address : info.addresses()) { // the addresses the worker tries, in turn
      boolean through = link.isPresent() && link.get().identity().equals(address);
      addresses.addObject().put("address", HostPort.format(address))
          .put("connected", !through ? "false" : link.get().peer().isInbound() ? "inbound" : "outbound");
    }
    entry.put("state", info.phase().name().toLowerCase());
    entry.put("backoff_ms", info.backoffMillis());
    if (info.nextAttemptAtMillis() > 0) {
      entry.put("next_attempt_time", info.nextAttemptAtMillis() / 1000);
    }
    return entry;
  }

  /**
   * The handshaked connection with an added node, whoever dialed: the worker's own, or one the
   * node made to us (the worker then stood down), known by the listening address it claimed.
   */
  private static Optional<ServerState.PeerEntry> connectionTo(ConnectionWorker.Info info,
      List<ServerState.PeerEntry> active) {
    return active.stream().filter(e -> e.identity() != null
        && (e.identity().equals(info.peer()) || info.addresses().contains(e.identity()))).findFirst();
  }

  private InetSocketAddress peerAddress(String text) {
    try {
      return HostPort.parse(text, defaultPort);
    } catch (IllegalArgumentException e) {
      throw new RpcException(RpcErrorCode.RPC_CLIENT_INVALID_IP_OR_SUBNET, "Invalid address: " + e.getMessage());
    }
  }
}
