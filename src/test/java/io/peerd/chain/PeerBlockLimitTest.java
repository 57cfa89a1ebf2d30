package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.actor.Mailbox;
import io.peerd.testing.MemoryChainStore;
import io.peerd.testing.TestChains;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * In HA production a block enters the chain only through the Raft log: a peer's block is refused
 * (never stored) unless it leads to the committed block a snapshot named, and sync asks peers for
 * no block past that.
 */
class PeerBlockLimitTest {
  private static final ChainActor.Source PEER = (score, reason) -> { };

  private final PeerBlockLimit limit = PeerBlockLimit.committedOnly();
  private final BlockingQueue<Chain.BlockOutcome> outcomes = new LinkedBlockingQueue<>();
  private final ChainActor actor = new ChainActor(Chain.open(NetworkParameters.REGTEST, new MemoryChainStore(),
      () -> System.currentTimeMillis() / 1000), new ChainActor.Listener() {
        @Override
        public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result) {}

        @Override
        public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {
          outcomes.add(result.outcome());
        }

        @Override
        public void tipChanged(ChainSnapshot snapshot) {}
      }, () -> System.currentTimeMillis() / 1000, new Mailbox(16), Thread.ofPlatform().factory(), limit);
  private final List<Block> blocks = TestChains.mine(2);

  @AfterEach
  void stop() throws InterruptedException {
    actor.stop();
    actor.awaitStopped(5_000);
  }

  @Test
  void aPeersBlockIsTakenOnlyUpToTheCommittedCeiling() throws Exception {
    actor.start();
    assertThat(actor.acceptHeaders(PEER, blocks.stream().map(Block::header).toList())).isTrue();

    assertThat(offer(blocks.get(0))).as("no ceiling: nothing from peers").isEqualTo(Chain.BlockOutcome.NOT_COMMITTED);
    assertThat(actor.view().snapshot().tip().height()).isZero();

    limit.allowUpTo(blocks.get(0).hash());
    assertThat(offer(blocks.get(0))).isEqualTo(Chain.BlockOutcome.CONNECTED);
    assertThat(offer(blocks.get(1))).as("past the ceiling").isEqualTo(Chain.BlockOutcome.NOT_COMMITTED);
    assertThat(actor.view().snapshot().tip().hash()).isEqualTo(blocks.get(0).hash());
  }

  @Test
  void syncAsksForNothingPastTheCeiling() throws Exception {
    actor.start();
    actor.acceptHeaders(PEER, blocks.stream().map(Block::header).toList());
    ChainView view = actor.view();
    awaitHeaders(view);
    HeaderNode second = view.header(blocks.get(1).hash()).orElseThrow();
    HeaderNode first = second.parent();

    assertThat(limit.cap(second, view)).isNull();
    limit.allowUpTo(first.hash());
    assertThat(limit.cap(second, view)).isSameAs(first);
    assertThat(limit.cap(first, view)).isSameAs(first);
    limit.close();
    assertThat(limit.cap(second, view)).isNull();
    assertThat(PeerBlockLimit.none().cap(second, view)).isSameAs(second);
  }

  private Chain.BlockOutcome offer(Block block) throws InterruptedException {
    assertThat(actor.acceptBlock(PEER, block, block.serialize(true))).isTrue();
    return outcomes.poll(5, TimeUnit.SECONDS);
  }

  private void awaitHeaders(ChainView view) throws InterruptedException {
    for (int i = 0; i < 500 && view.header(blocks.get(1).hash()).isEmpty(); i++) {
      Thread.sleep(10);
    }
  }
}
