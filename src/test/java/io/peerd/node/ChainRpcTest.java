package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerd.chain.BlockBuilder;
import io.peerd.chain.Chain;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.chain.NetworkParameters;
import io.peerd.rpc.RpcErrorCode;
import io.peerd.rpc.RpcException;
import io.peerd.testing.MemoryChainStore;
import io.peerd.testing.TestBlocks;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import io.peerd.rpc.RpcJson;
import io.peerd.rpc.RpcMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The chain's RPC methods against a chain in memory, without a node. */
class ChainRpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW_SECONDS = 1_760_000_000L;
  private static final String MAINNET_ADDRESS = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

  /** A node's chain as RPC sees it; generate answers {@link #mined}, or fails with {@link #refusal}. */
  private static final class FakeChain implements ChainControl {
    final NetworkParameters params;
    final Chain chain;
    final InitialBlockDownload ibd;
    final List<String> requests = new ArrayList<>();
    List<Hash> mined = List.of();
    RuntimeException refusal;

    FakeChain(NetworkParameters params) {
      this.params = params;
      this.chain = Chain.open(params, new MemoryChainStore(), () -> NOW_SECONDS);
      this.ibd = new InitialBlockDownload(params, () -> NOW_SECONDS);
    }

    @Override
    public NetworkParameters params() {
      return params;
    }

    @Override
    public ChainView chainView() {
      return chain.view();
    }

    @Override
    public InitialBlockDownload initialBlockDownload() {
      return ibd;
    }

    @Override
    public CompletableFuture<List<Hash>> generate(int blocks, byte[] payTo) {
      requests.add(blocks + " to " + HexFormat.of().formatHex(payTo));
      return refusal == null ? CompletableFuture.completedFuture(mined) : CompletableFuture.failedFuture(refusal);
    }
  }

  private final FakeChain regtest = new FakeChain(NetworkParameters.REGTEST);

  @Test
  void getblockchaininfoHasCoresFieldsInCoresOrder() throws Exception {
    Block block = mineFresh(regtest.chain);

    JsonNode info = call(regtest, "getblockchaininfo");

    assertThat(fieldNames(info)).containsExactly("chain", "blocks", "headers", "bestblockhash", "difficulty", "time",
        "mediantime", "verificationprogress", "initialblockdownload", "chainwork", "pruned", "warnings");
    HeaderNode tip = regtest.chain.tip();
    assertThat(info.get("chain").asText()).isEqualTo("regtest");
    assertThat(info.get("blocks").asInt()).isEqualTo(1);
    assertThat(info.get("headers").asInt()).isEqualTo(1);
    assertThat(info.get("bestblockhash").asText()).isEqualTo(block.hash().toString());
    assertThat(info.get("time").asLong()).isEqualTo(block.header().time());
    assertThat(info.get("mediantime").asLong()).isEqualTo(tip.medianTimePast());
    assertThat(info.get("difficulty").asDouble()).as("regtest's easiest target").isPositive().isLessThan(1e-9);
    assertThat(info.get("chainwork").asText()).hasSize(64).isEqualTo(String.format("%064x", tip.chainWork()));
    assertThat(info.get("initialblockdownload").asBoolean()).as("a tip from the last minute").isFalse();
    assertThat(info.get("verificationprogress").asDouble()).isEqualTo(1.0);
    assertThat(info.get("pruned").asBoolean()).isFalse();
    assertThat(info.get("warnings").isArray()).isTrue();
    assertThat(info.get("warnings")).isEmpty();
  }

  @Test
  void getblockchaininfoAtA2011GenesisIsInInitialBlockDownload() throws Exception {
    JsonNode info = call(regtest, "getblockchaininfo");

    assertThat(info.get("blocks").asInt()).isZero();
    assertThat(info.get("initialblockdownload").asBoolean()).isTrue();
    assertThat(info.get("verificationprogress").asDouble()).isPositive().isLessThan(1e-3);
  }

  @Test
  void blockLookupsRefuseAsCoreDoes() {
    assertRefused(regtest, RpcErrorCode.RPC_INVALID_PARAMETER, "getblockhash", 1);
    assertRefused(regtest, RpcErrorCode.RPC_INVALID_PARAMETER, "getblockheader", "00ff");
    assertRefused(regtest, RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, "getblockheader", "00".repeat(32));
    String genesis = regtest.chain.tip().hash().toString();
    assertRefused(regtest, RpcErrorCode.RPC_INVALID_PARAMETER, "getblock", genesis, 3);
  }

  @Test
  void generatetoaddressAsksTheChainForTheBlocksAndListsTheirHashes() throws Exception {
    Hash mined = regtest.chain.tip().hash();
    regtest.mined = List.of(mined);

    JsonNode hashes = call(regtest, "generatetoaddress", 1, TestNodes.REGTEST_ADDRESS);

    assertThat(hashes).isEqualTo(JSON.valueToTree(List.of(mined.toString())));
    assertThat(regtest.requests).containsExactly("1 to " + HexFormat.of().formatHex(TestNodes.regtestScript()));
  }

  @Test
  void generatetoaddressChecksItsArgumentsAndTheNetworkBeforeAskingTheChain() {
    assertRefused(regtest, RpcErrorCode.RPC_INVALID_PARAMETER, "generatetoaddress", -1, TestNodes.REGTEST_ADDRESS);
    assertRefused(regtest, RpcErrorCode.RPC_INVALID_PARAMETER, "generatetoaddress", 1_000_001,
        TestNodes.REGTEST_ADDRESS);
    assertRefused(regtest, RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY, "generatetoaddress", 1, MAINNET_ADDRESS);
    FakeChain mainnet = new FakeChain(NetworkParameters.MAINNET);
    assertRefused(mainnet, RpcErrorCode.RPC_MISC_ERROR, "generatetoaddress", 1, MAINNET_ADDRESS);
    assertThat(regtest.requests).isEmpty();
    assertThat(mainnet.requests).isEmpty();
  }

  @Test
  void aFailedGenerateIsAMiscErrorWithItsReason() {
    regtest.refusal = new IllegalStateException("chain stopped");

    assertThatThrownBy(() -> call(regtest, "generatetoaddress", 1, TestNodes.REGTEST_ADDRESS))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(RpcErrorCode.RPC_MISC_ERROR))
        .hasMessage("chain stopped");
  }

  @Test
  void getchaintipsListsEveryBranchHighestFirstWithCoresStatuses() throws Exception {
    Chain chain = regtest.chain;
    HeaderNode genesis = chain.tip();
    BlockBuilder builder = new BlockBuilder(chain.params());
    Block active1 = accept(chain, builder.mine(genesis, new byte[] {0x51}, 1, NOW_SECONDS - 600));
    Block active2 = accept(chain, builder.mine(chain.tip(), new byte[] {0x51}, 1, NOW_SECONDS - 500));
    Block fork = accept(chain, builder.mine(genesis, new byte[] {0x51}, 2, NOW_SECONDS - 590));
    Block headersOnly = builder.mine(genesis, new byte[] {0x51}, 3, NOW_SECONDS - 580);
    assertThat(chain.acceptHeaders(List.of(headersOnly.header())).acceptedCount()).isEqualTo(1);
    Block good = builder.mine(chain.header(active1.hash()).orElseThrow(), new byte[] {0x51}, 4, NOW_SECONDS - 400);
    Block bad = TestBlocks.withCoinbaseScript(good, new byte[] {0x01, 0x63, 0x01, 0x07}); // no BIP34 height
    assertThat(chain.acceptBlock(bad, bad.serialize(true)).outcome()).isEqualTo(Chain.BlockOutcome.INVALID);

    JsonNode tips = call(regtest, "getchaintips");

    assertThat(tips.toString()).isEqualTo("[" + String.join(",", highestFirstThenByHash(List.of(
        tip(2, active2, 0, "active"), tip(2, bad, 1, "invalid"), tip(1, fork, 1, "valid-fork"),
        tip(1, headersOnly, 1, "headers-only")))) + "]");
  }

  @Test
  void getblockVerbosity2DecodesEachTransactionAsCoreWithoutFeeOrPrevout() throws Exception {
    Transaction.Output paid = new Transaction.Output(5_000_000_000L, TestNodes.regtestScript());
    Block mined = new BlockBuilder(regtest.params).mine(regtest.chain.tip(), TestNodes.regtestScript(), 0, NOW_SECONDS - 60);
    Transaction spend = TestBlocks.spending(List.of(TestBlocks.firstOutput(mined.transactions().get(0))), List.of(paid));
    Block block = TestBlocks.withExtraTransactions(mined, spend);
    accept(regtest.chain, block);

    JsonNode result = call(regtest, "getblock", block.hash().toString(), 2);

    JsonNode coinbase = result.get("tx").get(0);
    assertThat(fieldNames(coinbase)).containsExactly("txid", "hash", "version", "size", "vsize", "weight", "locktime",
        "vin", "vout", "hex");
    Transaction coinbaseTx = block.transactions().get(0);
    assertThat(coinbase.get("txid").asText()).isEqualTo(coinbaseTx.txid().toString());
    assertThat(coinbase.get("hex").asText()).isEqualTo(HexFormat.of().formatHex(coinbaseTx.serialize(true)));
    assertThat(fieldNames(coinbase.get("vin").get(0))).startsWith("coinbase").endsWith("sequence");
    JsonNode output = coinbase.get("vout").get(0);
    assertThat(RpcJson.MAPPER.writeValueAsString(output.get("value"))).as("as the server writes it").isEqualTo("50.00000000");
    assertThat(fieldNames(output.get("scriptPubKey"))).containsExactly("asm", "desc", "hex", "address", "type");
    assertThat(output.get("scriptPubKey").get("address").asText()).isEqualTo(TestNodes.REGTEST_ADDRESS);
    assertThat(output.get("scriptPubKey").get("type").asText()).isEqualTo("witness_v0_keyhash");
    assertThat(output.get("scriptPubKey").get("desc").asText()).startsWith("addr(" + TestNodes.REGTEST_ADDRESS + ")#");
    JsonNode spent = result.get("tx").get(1).get("vin").get(0);
    assertThat(fieldNames(spent)).containsExactly("txid", "vout", "scriptSig", "sequence");
    assertThat(spent.get("txid").asText()).isEqualTo(coinbaseTx.txid().toString());
    assertThat(spent.get("scriptSig").toString()).isEqualTo("{\"asm\":\"\",\"hex\":\"\"}");
    // A witness needs the coinbase's commitment to be stored; the decoding alone shows it.
    JsonNode withWitness = TransactionJson.of(TestBlocks.withWitness(spend, new byte[] {1, 2}), regtest.params);
    assertThat(fieldNames(withWitness.get("vin").get(0))).containsExactly("txid", "vout", "scriptSig", "txinwitness",
        "sequence");
    assertThat(withWitness.get("vin").get(0).get("txinwitness").toString()).isEqualTo("[\"0102\"]");
    assertThat(withWitness.get("hash").asText()).as("the wtxid").isNotEqualTo(withWitness.get("txid").asText());
  }

  @Test
  void getdifficultyIsTheTipsDifficulty() throws Exception {
    assertThat(call(regtest, "getdifficulty").asDouble()).isEqualTo(call(regtest, "getblockchaininfo")
        .get("difficulty").asDouble()).isPositive();
    FakeChain mainnet = new FakeChain(NetworkParameters.MAINNET);
    assertThat(call(mainnet, "getdifficulty").asDouble()).isEqualTo(1.0);
  }

  private static String tip(int height, Block block, int branchLength, String status) {
    return "{\"height\":" + height + ",\"hash\":\"" + block.hash() + "\",\"branchlen\":" + branchLength
        + ",\"status\":\"" + status + "\"}";
  }

  /** Core's order (height, highest first); peerd orders tips of equal height by hash. */
  private static List<String> highestFirstThenByHash(List<String> tips) {
    List<String> sorted = new ArrayList<>(tips);
    sorted.sort(Comparator.comparing((String t) -> -Integer.parseInt(t.substring(10, 11)))
        .thenComparing(t -> t.substring(t.indexOf("hash") + 7, t.indexOf("hash") + 71)));
    return sorted;
  }

  private static Block accept(Chain chain, Block block) {
    assertThat(chain.acceptBlock(block, block.serialize(true)).rejection()).isEmpty();
    return block;
  }

  private static Block mineFresh(Chain chain) {
    HeaderNode tip = chain.tip();
    Block block = new BlockBuilder(chain.params()).mine(tip, new byte[] {0x51}, 0, NOW_SECONDS - 60);
    assertThat(chain.acceptBlock(block, block.serialize(true)).outcome()).isEqualTo(Chain.BlockOutcome.CONNECTED);
    return block;
  }

  private static JsonNode call(ChainControl chain, String method, Object... params) throws Exception {
    Map<String, RpcMethod> methods = new HashMap<>(new ChainRpc(chain).methods());
    methods.putAll(new ChainTipsRpc(chain).methods());
    Object result = methods.get(method).call(JSON.valueToTree(List.of(params)));
    return result instanceof JsonNode tree ? tree : JSON.valueToTree(result); // a tree as is: amounts keep their zeros
  }

  private static void assertRefused(ChainControl chain, int code, String method, Object... params) {
    assertThatThrownBy(() -> call(chain, method, params)).as(method + List.of(params))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
