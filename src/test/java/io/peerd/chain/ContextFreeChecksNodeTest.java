package io.peerd.chain;

import static io.peerd.testing.TestNodes.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.node.Node;
import io.peerd.peer.Peer;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.RawPeer;
import io.peerd.testing.TestBlocks;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.Message;
import io.peerd.wire.Transaction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CVE-2018-17144 over a real socket: a running node refuses a block whose transaction spends one
 * outpoint twice, keeps its tip and drops the peer that sent it.
 */
class ContextFreeChecksNodeTest {
  @TempDir
  Path dir;

  @Test
  void aBlockSpendingAnOutpointTwiceIsNotConnectedAndItsSenderIsDisconnected() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(dir)); RawPeer remote = RawPeer.connect(node)) {
      TestNodes.mine(node, 1);
      HeaderNode tip = node.snapshot().tip();
      Block spendsTwice = spendingTwiceTheCoinbaseOf(node, tip);
      NodeRpcClient rpc = NodeRpcClient.of(node);
      remote.handshake();
      Peer peer = (Peer) awaitActive(node, remote.localAddress()).peer();

      remote.send(new Message.Headers(List.of(spendsTwice.header())));
      remote.send(new Message.BlockMessage(spendsTwice));

      remote.awaitClosed();
      assertThat(peer.closeReason()).contains("bad-txns-inputs-duplicate");
      assertThat(rpc.call("getblockcount").asInt()).isEqualTo(1);
      assertThat(rpc.call("getbestblockhash").asText()).isEqualTo(tip.hash().toString());
      assertThat(node.chainView().block(spendsTwice.hash())).isEmpty();
    }
  }

  /**
   * A block on {@code tip} with a transaction spending the coinbase output of {@code tip} twice;
   * spending it once, the same block passes every check: the duplicate is its only fault.
   */
  private static Block spendingTwiceTheCoinbaseOf(Node node, HeaderNode tip) throws Exception {
    Block tipBlock = Block.fromBytes(node.chainView().block(tip.hash()).orElseThrow());
    Transaction.OutPoint spent = TestBlocks.firstOutput(tipBlock.transactions().get(0));
    List<Transaction.Output> pay = List.of(new Transaction.Output(1, TestNodes.regtestScript()));
    Block next = new BlockBuilder(node.params()).mine(tip, TestNodes.regtestScript(), 1, tip.header().time() + 1);
    Block spendsOnce = TestBlocks.withExtraTransactions(next, TestBlocks.spending(List.of(spent), pay));
    new BlockValidator(node.params()).check(spendsOnce, tip.height() + 1);
    return TestBlocks.withExtraTransactions(next, TestBlocks.spending(List.of(spent, spent), pay));
  }
}
