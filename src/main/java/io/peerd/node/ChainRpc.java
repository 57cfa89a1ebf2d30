package io.peerd.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.chain.Address;
import io.peerd.chain.ChainSnapshot;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.InvalidAddressException;
import io.peerd.chain.ProofOfWork;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.rpc.RpcMethod;
import io.peerd.rpc.RpcParams;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import io.peerd.wire.WireException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chain's RPC methods, with Bitcoin Core's names, parameters, result fields and error codes.
 * Queries read the published {@link ChainView}; generatetoaddress waits for the chain actor for a
 * time bounded by the block count.
 */
final class ChainRpc {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final BigDecimal DIFFICULTY_ONE = new BigDecimal(ProofOfWork.target(0x1d00ffff));

  private final ChainControl chain;

  ChainRpc(ChainControl chain) {
    this.chain = chain;
  }

  Map<String, RpcMethod> methods() {
    Map<String, RpcMethod> methods = new LinkedHashMap<>();
    methods.put("getblockcount", p -> view().snapshot().tipHeight());
    methods.put("getbestblockhash", p -> view().snapshot().tip().hash().toString());
    methods.put("getblockhash", this::getBlockHash);
    methods.put("getblockheader", this::getBlockHeader);
    methods.put("getblock", this::getBlock);
    methods.put("getblockchaininfo", p -> blockchainInfo());
    methods.put("getdifficulty", p -> difficulty(view().snapshot().tip().header().bits()));
    methods.put("generatetoaddress", this::generateToAddress);
    return methods;
  }

  private ChainView view() {
    return chain.chainView();
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
    if (verbosity != 1 && verbosity != 2) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER,
          "verbosity " + verbosity + " is not supported (0, 1 or 2: 3 needs the spent outputs)");
    }
    Block block = decode(raw);
    ObjectNode result = headerFields(node, view().snapshot());
    result.put("size", raw.length);
    result.put("strippedsize", block.serializedSize(false));
    result.put("weight", block.weight());
    ArrayNode txs = result.putArray("tx");
    for (Transaction tx : block.transactions()) {
      if (verbosity == 1) {
        txs.add(tx.txid().toString());
      } else {
        txs.add(TransactionJson.of(tx, chain.params()));
      }
    }
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
    ObjectNode result = JSON.objectNode();
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
    HeaderNode tip = snapshot.tip();
    ObjectNode result = JSON.objectNode();
    result.put("chain", chain.params().name());
    result.put("blocks", snapshot.tipHeight());
    result.put("headers", snapshot.bestHeader().height());
    result.put("bestblockhash", tip.hash().toString());
    result.put("difficulty", difficulty(tip.header().bits()));
    result.put("time", tip.header().time());
    result.put("mediantime", tip.medianTimePast());
    result.put("verificationprogress", chain.initialBlockDownload().verificationProgress(snapshot));
    result.put("initialblockdownload", chain.initialBlockDownload().isActive(snapshot));
    result.put("chainwork", String.format("%064x", tip.chainWork()));
    result.put("pruned", false);
    result.putArray("warnings"); // an array since Core 28 (a string before); peerd raises none
    return result;
  }

  private Object generateToAddress(JsonNode params) {
    RpcParams.rejectUnknown(params, "nblocks", "address", "maxtries");
    int blocks = RpcParams.requiredInt(params, 0, "nblocks");
    String address = RpcParams.requiredString(params, 1, "address");
    ChainActor.generateCountError("nblocks", blocks).ifPresent(error -> {
      throw new RpcException(RpcErrorCode.RPC_INVALID_PARAMETER, error);
    });
    byte[] script = scriptPubKey(address);
    if (!chain.params().name().equals("regtest")) {
      throw new RpcException(RpcErrorCode.RPC_MISC_ERROR, "generatetoaddress is for regtest only");
    }
    List<Hash> hashes = ActorReplies.await(chain.generate(blocks, script), ChainActor.generateWaitMillis(blocks));
    return hashes.stream().map(Hash::toString).toList();
  }

  private byte[] scriptPubKey(String address) {
    try {
      return Address.toScriptPubKey(address, chain.params());
    } catch (InvalidAddressException e) {
      throw new RpcException(RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, "Error: Invalid address: " + e.getMessage());
    }
  }
}
