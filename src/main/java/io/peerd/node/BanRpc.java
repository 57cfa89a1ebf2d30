package io.peerd.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.peerd.banman.BanManager;
import io.peerd.banman.Subnet;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.rpc.RpcMethod;
import io.peerd.rpc.RpcParams;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * setban, listbanned and clearbanned, with Bitcoin Core's parameters, fields and error codes.
 * listbanned reads the bans the server published; the others ask the server, waiting a bounded
 * time. clearbanned lifts discouragement too, so nothing a peer did on one machine's loopback
 * outlasts the operator's wish.
 */
final class BanRpc {
  /** Core's DEFAULT_MISBEHAVING_BANTIME: a ban without a time lasts a day. */
  static final long DEFAULT_BAN_SECONDS = 24 * 60 * 60;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Supplier<Optional<PeerControl>> peers;
  private final LongSupplier clockSeconds;

  BanRpc(Supplier<Optional<PeerControl>> peers, LongSupplier clockSeconds) {
    this.peers = peers;
    this.clockSeconds = clockSeconds;
  }

  Map<String, RpcMethod> methods() {
    Map<String, RpcMethod> methods = new LinkedHashMap<>();
    methods.put("setban", this::setBan);
    methods.put("listbanned", p -> listBanned());
    methods.put("clearbanned", p -> {
      ActorReplies.await(peers().clearBanned(), ActorReplies.REQUEST_TIMEOUT_MILLIS);
      return null;
    });
    return methods;
  }

  private PeerControl peers() {
    return PeerControl.started(peers.get());
  }

  private Object setBan(JsonNode params) {
    RpcParams.rejectUnknown(params, "subnet", "command", "bantime", "absolute");
    Subnet subnet = subnet(RpcParams.requiredString(params, 0, "subnet"));
    boolean add = switch (RpcParams.requiredString(params, 1, "command")) {
      case "add" -> true;
      case "remove" -> false;
      default -> throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "command must be add or remove");
    };
    long banTime = RpcParams.optionalLong(params, 2, "bantime").orElse(0);
    boolean absolute = RpcParams.optionalBoolean(params, 3, "absolute", false);
    long untilSeconds = absolute ? banTime : clockSeconds.getAsLong() + (banTime > 0 ? banTime : DEFAULT_BAN_SECONDS);
    ActorReplies.await(peers().setBan(subnet, add, untilSeconds), ActorReplies.REQUEST_TIMEOUT_MILLIS);
    return null;
  }

  private static Subnet subnet(String text) {
    try {
      return Subnet.parse(text);
    } catch (IllegalArgumentException e) {
      throw new RpcException(RpcErrorCode.RPC_CLIENT_INVALID_IP_OR_SUBNET, "Error: Invalid IP/Subnet");
    }
  }

  private Object listBanned() {
    long now = clockSeconds.getAsLong();
    ArrayNode result = JSON.arrayNode();
    for (BanManager.Ban ban : peers().bans()) {
      if (ban.untilSeconds() > now) {
        result.addObject().put("address", ban.subnet().toString()).put("ban_created", ban.createdSeconds())
            .put("banned_until", ban.untilSeconds()).put("ban_duration", ban.untilSeconds() - ban.createdSeconds())
            .put("time_remaining", ban.untilSeconds() - now);
      }
    }
    return result;
  }
}
