package io.peerd.node;

import io.peerd.net.HostPort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.peerd.addrman.KnownAddress;
import io.peerd.addrman.Network;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.rpc.RpcMethod;
import io.peerd.rpc.RpcParams;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The address manager's RPC methods with Core's names and fields: getnodeaddresses, and on
 * regtest addpeeraddress (Core's test-only method), both answered by the server's thread.
 */
final class AddressRpc {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Supplier<Optional<PeerControl>> peers;
  private final boolean regtest;

  AddressRpc(Supplier<Optional<PeerControl>> peers, boolean regtest) {
    this.peers = peers;
    this.regtest = regtest;
  }

  Map<String, RpcMethod> methods() {
    Map<String, RpcMethod> methods = new LinkedHashMap<>();
    methods.put("getnodeaddresses", this::nodeAddresses);
    if (regtest) {
      methods.put("addpeeraddress", this::addPeerAddress);
    }
    return methods;
  }

  private PeerControl peers() {
    return PeerControl.started(peers.get());
  }

  private Object nodeAddresses(JsonNode params) {
    RpcParams.rejectUnknown(params, "count", "network");
    int count = RpcParams.optionalInt(params, 0, "count", 1);
    if (count < 0) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "Address count out of range");
    }
    Optional<Network> network = Optional.ofNullable(RpcParams.optionalString(params, 1, "network", null))
        .map(AddressRpc::network);
    List<KnownAddress> known = ActorReplies.await(peers().nodeAddresses(count), ActorReplies.REQUEST_TIMEOUT_MILLIS);
    ArrayNode result = JSON.arrayNode();
    known.stream().filter(k -> network.map(n -> k.address().network() == n).orElse(true)).forEach(k -> {
      String host = k.address().toSocketAddress().map(s -> s.getAddress().getHostAddress())
          .orElse(k.address().host().toString());
      result.addObject().put("time", k.timeSeconds()).put("services", k.services()).put("address", host)
          .put("port", k.address().port()).put("network", name(k.address().network()));
    });
    return result;
  }

  private Object addPeerAddress(JsonNode params) {
    RpcParams.rejectUnknown(params, "address", "port", "tried");
    String address = RpcParams.requiredString(params, 0, "address");
    int port = RpcParams.requiredInt(params, 1, "port");
    boolean tried = RpcParams.optionalBoolean(params, 2, "tried", false);
    InetSocketAddress socket;
    try {
      socket = HostPort.parse(address, port);
    } catch (IllegalArgumentException e) {
      return JSON.objectNode().put("success", false);
    }
    boolean added = ActorReplies.await(peers().addPeerAddress(socket, tried), ActorReplies.REQUEST_TIMEOUT_MILLIS);
    return JSON.objectNode().put("success", added);
  }

  /** Core's network names: ipv4, ipv6, onion, i2p, cjdns. */
  private static String name(Network network) {
    return network == Network.TORV3 ? "onion" : network.name().toLowerCase(Locale.ROOT);
  }

  private static Network network(String name) {
    for (Network network : Network.values()) {
      if (name(network).equals(name)) {
        return network;
      }
    }
    throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "Network not recognized: " + name);
  }
}
