package io.peerd.interop;

import static io.peerd.testing.TestNodes.awaitTip;
import static io.peerd.testing.TestNodes.mine;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.node.Node;
import io.peerd.testing.BcoinNode;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Hash;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** peerd and a real bcoin node sync each other's regtest chains over 127.0.0.1. */
class BcoinInteropTest {
  private static final int BLOCKS = 2_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @Test
  void peerdSyncsAChainBcoinMined() throws Exception {
    try (BcoinNode bcoin = BcoinNode.start(dir.resolve("bcoin"), List.of())) {
      bcoin.mine(BLOCKS);
      Hash bcoinTip = Hash.fromHex(bcoin.bestBlockHash());
      InetSocketAddress bcoinAddress = new InetSocketAddress("127.0.0.1", bcoin.p2pPort());
      try (Node peerd = TestNodes.start(TestNodes.connectedTo(dir.resolve("peerd"), bcoinAddress))) {
        awaitTip(peerd, bcoinTip, TIMEOUT);
        bcoin.mine(3); // and follows what bcoin announces (bcoin announces with inv only)
        awaitTip(peerd, Hash.fromHex(bcoin.bestBlockHash()), TIMEOUT);
        assertThat(peerd.snapshot().tipHeight()).isEqualTo(BLOCKS + 3);
      }
    }
  }

  @Test
  void bcoinSyncsAChainPeerdMined() throws Exception {
    try (Node peerd = TestNodes.start(TestNodes.regtest(dir.resolve("peerd")))) {
      Hash tip = mine(peerd, BLOCKS).getLast();
      String only = "--only=127.0.0.1:" + peerd.p2pAddress().getPort();
      try (BcoinNode bcoin = BcoinNode.start(dir.resolve("bcoin"), List.of(only))) {
        bcoin.awaitBlockCount(BLOCKS, TIMEOUT);
        assertThat(bcoin.bestBlockHash()).isEqualTo(tip.toString());
        Hash next = mine(peerd, 3).getLast(); // announced by inv, fetched by bcoin
        bcoin.awaitBlockCount(BLOCKS + 3, TIMEOUT);
        assertThat(bcoin.bestBlockHash()).isEqualTo(next.toString());
      }
    }
  }
}
