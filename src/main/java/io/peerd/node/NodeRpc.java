package io.peerd.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.actor.Watchdog;
import io.peerd.chain.Address;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.InvalidAddressException;
import io.peerd.chain.ProofOfWork;
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
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import io.peerd.wire.WireException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's RPC methods, with Bitcoin Core's names, parameters, result fields and error codes.
 * Chain queries read the published {@link ChainView}; commands to actors wait for their reply
 * for a bounded time.
 */
final class NodeRpc {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long REQUEST_TIMEOUT_MILLIS = 10_000;
  /** Mining is bounded by the block count; regtest blocks take about a millisecond each. */
  private static final long GENERATE_TIMEOUT_MILLIS_PER_BLOCK = 100;
  private static final int MAX_GENERATE_BLOCKS = 1_000_000;
  private static final BigDecimal DIFFICULTY_ONE = new BigDecimal(ProofOfWork.target(0x1d00ffff));

  private final Node node;

  NodeRpc(Node node) {
    this.node = node;
  }

  Map<String, RpcMethod> methods() {
    Map<String, RpcMethod> methods = new LinkedHashMap<>();
    methods.put("getblockcount", p -> view().snapshot().tipHeight());
    methods.put("getbestblockhash", p -> view().snapshot().tip().hash().toString());
    methods.put("getblockhash", this::getBlockHash);
    methods.put("getblockheader", this::getBlockHeader);
    methods.put("getblock", this::getBlock);
    methods.put("getblockchaininfo", p -> blockchainInfo());
    methods.put("getpeerinfo", p -> peerInfo());
    methods.put("getconnectioncount", p -> serverState().activePeers().size());
    methods.put("addnode", this::addNode);
    methods.put("disconnectnode", this::disconnectNode);
    methods.put("getaddednodeinfo", this::addedNodeInfo);
    methods.put("generatetoaddress", this::generateToAddress);
    methods.put("getwatchdoginfo", p -> watchdogInfo());
    methods.put("stop", p -> {
      node.requestStop();
      return "peerd stopping";
    });
    return methods;
  }

  private ChainView view() {
    return node.chainView();
  }

  private Object getBlockHash(JsonNode params) {
    RpcParams.rejectUnknown(params, "height");
    int height = RpcParams.requiredInt(params, 0, "height");
    return view().onTipChain(height).map(n -> n.hash().toString())
        .orElseThrow(() -> new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "Block height out of range"));
  }

  private Object getBlockHeader(JsonNode params) {
    RpcParams.rejectUnknown(params, "blockhash", "verbose");
    HeaderNode node = header(RpcParams.requiredString(params, 0, "blockhash"));
    if (!RpcParams.optionalBoolean(params, 1, "verbose", true)) {
      return HexFormat.of().formatHex(node.header().serialize());
    }
    return headerFields(node, view().snapshot());
  }

  private Object getBlock(JsonNode params) {
    RpcParams.rejectUnknown(params, "blockhash", "verbosity");
    HeaderNode node = header(RpcParams.requiredString(params, 0, "blockhash"));
    int verbosity = RpcParams.optionalInt(params, 1, "verbosity", 1);
    byte[] raw = view().block(node.hash())
        .orElseThrow(() -> new RpcException(RpcErrorCode.RPC_MISC_ERROR, "Block not available (not fully downloaded)"));
    if (verbosity == 0) {
      return HexFormat.of().formatHex(raw);
    }
    if (verbosity != 1) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "verbosity " + verbosity + " is not supported (0 or 1)");
    }
    Block block = decode(raw);
    ObjectNode result = headerFields(node, view().snapshot());
    result.put("size", raw.length);
    result.put("strippedsize", block.serializedSize(false));
    result.put("weight", block.weight());
    ArrayNode txids = result.putArray("tx");
    block.transactions().stream().map(Transaction::txid).forEach(txid -> txids.add(txid.toString()));
    return result;
  }

  private HeaderNode header(String hex) {
    Hash hash;
    try {
      hash = Hash.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "blockhash must be 64 hexadecimal characters");
    }
    return view().header(hash).orElseThrow(() -> new RpcException(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, "Block not found"));
  }

  private static Block decode(byte[] raw) {
    try {
      return Block.fromBytes(raw);
    } catch (WireException e) {
      throw new RpcException(RpcErrorCode.RPC_DATABASE_ERROR, "stored block does not decode: " + e.getMessage());
    }
  }

  /** The fields getblockheader and getblock share, as Core names them. */
  private static ObjectNode headerFields(HeaderNode node, ChainSnapshot snapshot) {
    BlockHeader header = node.header();
    boolean onTip = node.isAncestorOf(snapshot.tip());
    ObjectNode result = JSON.createObjectNode();
    result.put("hash", node.hash().toString());
    result.put("confirmations", onTip ? snapshot.tipHeight() - node.height() + 1 : -1);
    result.put("height", node.height());
    result.put("version", header.version());
    result.put("versionHex", String.format("%08x", header.version()));
    result.put("merkleroot", header.merkleRoot().toString());
    result.put("time", header.time());
    result.put("mediantime", node.medianTimePast());
    result.put("nonce", header.nonce());
    result.put("bits", String.format("%08x", header.bits()));
    result.put("difficulty", difficulty(header.bits()));
    result.put("chainwork", String.format("%064x", node.chainWork()));
    if (node.parent() != null) {
      result.put("previousblockhash", node.parent().hash().toString());
    }
    if (onTip && node.height() < snapshot.tipHeight()) {
      result.put("nextblockhash", snapshot.tip().ancestor(node.height() + 1).hash().toString());
    }
    return result;
  }

  private static double difficulty(int bits) {
    return DIFFICULTY_ONE.divide(new BigDecimal(ProofOfWork.target(bits)), MathContext.DECIMAL64).doubleValue();
  }

  private Object blockchainInfo() {
    ChainSnapshot snapshot = view().snapshot();
    ObjectNode result = JSON.createObjectNode();
    result.put("chain", node.params().name());
    result.put("blocks", snapshot.tipHeight());
    result.put("headers", snapshot.bestHeader().height());
    result.put("bestblockhash", snapshot.tip().hash().toString());
    result.put("difficulty", difficulty(snapshot.tip().header().bits()));
    result.put("time", snapshot.tip().header().time());
    result.put("mediantime", snapshot.tip().medianTimePast());
    result.put("verificationprogress", node.initialBlockDownload().verificationProgress(snapshot));
    result.put("initialblockdownload", node.initialBlockDownload().isActive(snapshot));
    result.put("chainwork", String.format("%064x", snapshot.tip().chainWork()));
    result.put("pruned", false);
    result.putArray("warnings"); // an array since Core 28 (a string before); peerd raises none
    return result;
  }

  private ServerState serverState() {
    Server server = node.server();
    if (server == null) {
      throw new RpcException(RpcErrorCode.RPC_IN_WARMUP, "peerd is starting");
    }
    return server.state();
  }

  private Object peerInfo() {
    ServerState server = serverState();
    Map<Long, SyncState.PeerSync> sync = node.syncManager().state().peers();
    ArrayNode result = JSON.createArrayNode();
    for (ServerState.PeerEntry entry : server.activePeers()) {
      Peer peer = (Peer) entry.peer(); // a node's server makes only real peers
      result.add(PeerInfo.of(peer, sync.get(peer.id())));
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
    serverState();
    await(node.server().addNode(address, command), REQUEST_TIMEOUT_MILLIS);
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
    serverState();
    if (address != null && nodeId.isEmpty()) {
      disconnect(Optional.of(connectedAddress(address)), Optional.empty());
    } else if (nodeId.isPresent() && (address == null || address.isEmpty())) {
      disconnect(Optional.empty(), Optional.of(nodeId.getAsLong()));
    } else {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMS, "Only one of address and nodeid should be provided.");
    }
    return null;
  }

  private InetSocketAddress connectedAddress(String text) {
    try {
      return HostPort.parse(text, node.params().defaultPort());
    } catch (IllegalArgumentException e) {
      throw rpcError(RequestRefused.nodeNotConnected());
    }
  }

  private void disconnect(Optional<InetSocketAddress> address, Optional<Long> peerId) {
    await(node.server().disconnectNode(address, peerId), REQUEST_TIMEOUT_MILLIS);
  }

  private Object addedNodeInfo(JsonNode params) {
    RpcParams.rejectUnknown(params, "node");
    String filter = RpcParams.optionalString(params, 0, "node", null);
    Optional<InetSocketAddress> wanted = Optional.ofNullable(filter).map(this::peerAddress);
    List<ConnectionWorker> workers = serverState().workers().stream()
        .filter(w -> wanted.map(a -> a.equals(w.peer())).orElse(true)).toList();
    if (wanted.isPresent() && workers.isEmpty()) {
      throw new RpcException(RpcErrorCode.RPC_CLIENT_NODE_NOT_ADDED, "Error: Node has not been added.");
    }
    ArrayNode result = JSON.createArrayNode();
    List<ServerState.PeerEntry> active = serverState().activePeers();
    for (ConnectionWorker worker : workers) {
      ConnectionWorker.Info info = worker.info();
      Optional<ServerState.PeerEntry> link = connectionTo(info, active);
      ObjectNode entry = result.addObject();
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
    }
    return result;
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

  /** peerd's own: actors that have work and make no progress, and how many stalls were seen. */
  private Object watchdogInfo() {
    ObjectNode result = JSON.createObjectNode();
    result.put("stall_count", node.watchdog().stallCount());
    ArrayNode stalled = result.putArray("stalled");
    for (Watchdog.Stall stall : node.watchdog().stalls()) {
      ObjectNode entry = stalled.addObject();
      entry.put("actor", stall.actor());
      entry.put("mailbox_depth", stall.mailboxDepth());
      entry.put("stalled_ms", stall.stalledMillis());
      ArrayNode stack = entry.putArray("stack");
      stall.stack().forEach(stack::add);
    }
    return result;
  }

  private Object generateToAddress(JsonNode params) {
    RpcParams.rejectUnknown(params, "nblocks", "address", "maxtries");
    int blocks = RpcParams.requiredInt(params, 0, "nblocks");
    String address = RpcParams.requiredString(params, 1, "address");
    if (blocks < 0 || blocks > MAX_GENERATE_BLOCKS) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, "nblocks must be 0.." + MAX_GENERATE_BLOCKS);
    }
    byte[] script;
    try {
      script = Address.toScriptPubKey(address, node.params());
    } catch (InvalidAddressException e) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, "Error: Invalid address: " + e.getMessage());
    }
    if (!node.params().name().equals("regtest")) {
      throw new RpcException(RpcErrorCode.RPC_MISC_ERROR, "generatetoaddress is for regtest only");
    }
    List<Hash> hashes = await(node.chainActor().generate(blocks, script),
        REQUEST_TIMEOUT_MILLIS + blocks * GENERATE_TIMEOUT_MILLIS_PER_BLOCK);
    return hashes.stream().map(Hash::toString).toList();
  }

  private InetSocketAddress peerAddress(String text) {
    try {
      return HostPort.parse(text, node.params().defaultPort());
    } catch (IllegalArgumentException e) {
      throw new RpcException(RpcErrorCode.RPC_CLIENT_INVALID_IP_OR_SUBNET, "Invalid address: " + e.getMessage());
    }
  }

  private static RpcException rpcError(RequestRefused refused) {
    return new RpcException(refused.code(), refused.getMessage());
  }

  private static <T> T await(CompletableFuture<T> reply, long timeoutMillis) {
    try {
      return reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RequestRefused refused) {
        throw rpcError(refused);
      }
      throw new RpcException(RpcErrorCode.RPC_MISC_ERROR, String.valueOf(e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw new RpcException(RpcErrorCode.RPC_MISC_ERROR, "no answer within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException(RpcErrorCode.RPC_MISC_ERROR, "interrupted");
    }
  }
}
