package io.peerd.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BcoinNodeTest {
  /** A bound, not a speed check: bcoin syncs 150 blocks over loopback in well under a second. */
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void minesBlocksAndAnswersRpc(@TempDir Path dir) throws Exception {
    try (BcoinNode node = BcoinNode.start(dir, List.of())) {
      node.mine(150);

      assertThat(node.blockCount()).isEqualTo(150);
      assertThat(node.blockHash(150)).isEqualTo(node.bestBlockHash());
      assertThatThrownBy(() -> node.blockHash(151))
          .isInstanceOf(BcoinRpcException.class)
          .hasMessageContaining("getblockhash");
    }
  }

  @Test
  void secondNodeSyncsTheFirstNodesChain(@TempDir Path dir) throws Exception {
    try (BcoinNode source = BcoinNode.start(dir.resolve("source"), List.of())) {
      source.mine(150);
      List<String> dialSourceOnly = List.of("--only=127.0.0.1:" + source.p2pPort());
      try (BcoinNode follower = BcoinNode.start(dir.resolve("follower"), dialSourceOnly)) {
        follower.awaitBlockCount(150, SYNC_TIMEOUT);
        assertThat(follower.bestBlockHash()).isEqualTo(source.bestBlockHash());

        // A block mined after the sync reaches the follower by announcement, not by the initial sync.
        source.mine(1);
        follower.awaitBlockCount(151, SYNC_TIMEOUT);
        assertThat(follower.bestBlockHash()).isEqualTo(source.bestBlockHash());
      }
    }
  }

  @Test
  void refusesOptionsItSetsItself(@TempDir Path dir) {
    assertThatThrownBy(() -> BcoinNode.start(dir, List.of("--http-port=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--http-port");
  }

  @Test
  void closeIsIdempotentAndStopsTheProcess(@TempDir Path dir) throws Exception {
    BcoinNode node = BcoinNode.start(dir, List.of());
    node.close();
    node.close();

    assertThatThrownBy(node::blockCount).isInstanceOf(IOException.class);
  }
}
