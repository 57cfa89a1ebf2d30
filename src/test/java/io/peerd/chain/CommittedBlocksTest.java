package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.actor.Mailbox;
import io.peerd.chain.ChainActor.AppliedOutcome;
import io.peerd.testing.MemoryChainStore;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Committed log entries at the chain (seed 004's HA rules): a block is applied only on the tip,
 * with its log position in the same write; a deposed leader's proposal, built on an older tip, is
 * refused and never stored, so no member ever holds two blocks at one height.
 */
class CommittedBlocksTest {
  private final MemoryChainStore store = new MemoryChainStore();
  private final ChainActor actor = new ChainActor(Chain.open(NetworkParameters.REGTEST, store,
      () -> System.currentTimeMillis() / 1000), new ChainActor.Listener() {
        @Override
        public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers,
            Chain.HeadersResult result) {}

        @Override
        public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {}

        @Override
        public void tipChanged(ChainSnapshot snapshot) {}
      }, () -> System.currentTimeMillis() / 1000, new Mailbox(16), Thread.ofPlatform().factory());

  @AfterEach
  void stop() throws InterruptedException {
    actor.stop();
    actor.awaitStopped(5_000);
  }

  @Test
  void aBlockOnTheTipConnectsWithItsPositionAndAProposalOnAnOlderTipIsNeverStored() throws Exception {
    actor.start();
    Block first = build();
    Block rival = build(); // built on the same tip: the deposed leader's proposal
    assertThat(rival.hash()).isNotEqualTo(first.hash());

    assertThat(apply(1, 5, first)).isEqualTo(AppliedOutcome.CONNECTED);
    assertThat(actor.view().lastAppliedLogPosition()).contains(new LogPosition(1, 5));

    assertThat(apply(2, 6, rival)).isEqualTo(AppliedOutcome.STALE_PARENT);
    assertThat(actor.view().header(rival.hash())).as("a stale proposal is not even stored").isEmpty();
    assertThat(actor.view().snapshot().tip().hash()).isEqualTo(first.hash());
    assertThat(actor.view().lastAppliedLogPosition()).contains(new LogPosition(2, 6));

    assertThat(apply(2, 7, first)).isEqualTo(AppliedOutcome.ALREADY_ON_CHAIN);
    assertThat(applyBytes(2, 8, new byte[] {1, 2, 3})).isEqualTo(AppliedOutcome.INVALID);
    assertThat(actor.view().lastAppliedLogPosition()).contains(new LogPosition(2, 8));
  }

  private Block build() throws Exception {
    return actor.build(TestNodes.regtestScript()).get(5, TimeUnit.SECONDS);
  }

  private AppliedOutcome apply(long term, long index, Block block) throws Exception {
    return applyBytes(term, index, block.serialize(true));
  }

  private AppliedOutcome applyBytes(long term, long index, byte[] serialized) throws Exception {
    CompletableFuture<AppliedOutcome> outcome = new CompletableFuture<>();
    assertThat(actor.applyCommitted(new LogPosition(term, index), serialized, outcome)).isTrue();
    return outcome.get(5, TimeUnit.SECONDS);
  }
}
