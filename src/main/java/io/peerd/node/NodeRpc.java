package io.peerd.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.actor.Watchdog;
import io.peerd.chain.NetworkParameters;
import io.peerd.ha.HaMember;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.rpc.RpcMethod;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's RPC methods, with Bitcoin Core's names, parameters, result fields and error codes:
 * the chain's ({@link ChainRpc}, {@link ChainTipsRpc}), the peers' ({@link PeerRpc}), the network's
 * ({@link NetworkRpc}), bans ({@link BanRpc}), control ({@link ControlRpc}: help, uptime, logging...),
 * and the node's own (watchdog, stop).
 * They reach the node only through {@link NodeControl}.
 */
final class NodeRpc {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final NodeControl node;

  NodeRpc(NodeControl node) {
    this.node = node;
  }

  Map<String, RpcMethod> methods() {
    Map<String, RpcMethod> methods = new LinkedHashMap<>(new ChainRpc(node).methods());
    methods.putAll(new ChainTipsRpc(node).methods());
    methods.putAll(new PeerRpc(node::peers, node.params().defaultPort()).methods());
    methods.putAll(new NetworkRpc(node::peers, System::currentTimeMillis).methods());
    methods.putAll(new BanRpc(node::peers, () -> System.currentTimeMillis() / 1000).methods());
    methods.putAll(new AddressRpc(node::peers, node.params().equals(NetworkParameters.REGTEST)).methods());
    methods.put("getwatchdoginfo", p -> watchdogInfo());
    methods.put("gethainfo", p -> haInfo());
    methods.put("stop", p -> {
      node.requestStop();
      return "peerd stopping";
    });
    AtomicReference<Set<String>> registered = new AtomicReference<>(Set.of());
    methods.putAll(new ControlRpc(registered::get, node::rpcActiveCommands,
        () -> ManagementFactory.getRuntimeMXBean().getUptime() / 1000).methods());
    registered.set(Set.copyOf(methods.keySet()));
    return methods;
  }

  /** peerd's own: the HA group as this member sees it. */
  private Object haInfo() throws RpcException {
    HaMember.Info info = node.haInfo().orElseThrow(() -> new RpcException(RpcErrorCode.RPC_MISC_ERROR,
        "this node is not in an HA group (--ha-id, --ha-peers)"));
    ObjectNode result = JSON.objectNode();
    result.put("role", info.role());
    result.put("term", info.term());
    result.put("leader", info.leaderId());
    result.put("commit_index", info.commitIndex());
    result.put("applied_index", info.appliedIndex());
    result.put("last_produced_height", info.lastProducedHeight());
    result.put("proposed_blocks", info.proposedBlocks());
    result.put("failed_proposals", info.failedProposals());
    result.put("refused_entries", info.refusedEntries());
    result.put("snapshot_index", info.snapshotIndex());
    result.put("snapshots_installed", info.snapshotsInstalled());
    result.put("log_start_index", info.logStartIndex());
    ArrayNode peers = result.putArray("peers");
    for (HaMember.PeerInfo peer : info.peers()) {
      ObjectNode entry = peers.addObject().put("id", peer.id()).put("address", peer.address());
      if (peer.reachable() != null) {
        entry.put("reachable", peer.reachable());
      }
    }
    return result;
  }

  /** peerd's own: what has work and makes no progress (actors, timers, peers, sync), and how many stalls were seen. */
  private Object watchdogInfo() {
    ObjectNode result = JSON.objectNode();
    result.put("stall_count", node.watchdogStallCount());
    ArrayNode stalled = result.putArray("stalled");
    for (Watchdog.Stall stall : node.watchdogStalls()) {
      ObjectNode entry = stalled.addObject();
      entry.put("subject", stall.subject());
      entry.put("detail", stall.detail());
      entry.put("stalled_ms", stall.stalledMillis());
      ArrayNode stack = entry.putArray("stack");
      stall.stack().forEach(stack::add);
    }
    return result;
  }
}
