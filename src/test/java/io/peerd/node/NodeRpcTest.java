package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** getblockchaininfo's initial block download and verification progress, as Bitcoin Core reports them. */
class NodeRpcTest {
  @TempDir
  Path dir;

  @Test
  void aMainnetNodeAtGenesisIsInInitialBlockDownloadWithAlmostNoProgress() throws Exception {
    try (Node node = TestNodes.start(TestNodes.onLoopback(NetworkParameters.MAINNET, dir))) {
      JsonNode info = NodeRpcClient.of(node).call("getblockchaininfo");

      assertThat(info.get("chain").asText()).isEqualTo("main");
      assertThat(info.get("blocks").asInt()).isZero();
      assertThat(info.get("headers").asInt()).as("no peers, no headers").isZero();
      assertThat(info.get("initialblockdownload").asBoolean()).isTrue();
      assertThat(info.get("verificationprogress").asDouble()).isPositive().isLessThan(1e-6);
      assertThat(info.get("pruned").asBoolean()).isFalse();
      assertThat(info.get("warnings").isArray()).isTrue();
      assertThat(info.get("warnings")).isEmpty();
      assertThat(node.server().state().peers()).as("dialed nobody").isEmpty();
    }
  }

  @Test
  void aRegtestNodeLeavesInitialBlockDownloadWithItsFirstFreshBlock() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir))) {
      NodeRpcClient rpc = NodeRpcClient.of(node);
      JsonNode atGenesis = rpc.call("getblockchaininfo");
      assertThat(atGenesis.get("initialblockdownload").asBoolean()).as("genesis is from 2011").isTrue();
      assertThat(atGenesis.get("verificationprogress").asDouble()).isPositive().isLessThan(1e-3);

      rpc.call("generatetoaddress", 1, TestNodes.REGTEST_ADDRESS);

      JsonNode mined = rpc.call("getblockchaininfo");
      assertThat(mined.get("initialblockdownload").asBoolean()).isFalse();
      assertThat(mined.get("verificationprogress").asDouble()).isEqualTo(1.0);
    }
  }
}
