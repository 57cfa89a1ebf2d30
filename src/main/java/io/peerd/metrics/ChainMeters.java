package io.peerd.metrics;

import static io.peerd.metrics.Meters.gauge;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.peerd.store.RocksChainStore;
import java.util.concurrent.TimeUnit;

/**
 * Sync and store: tip and best header heights (their rate is the blocks per second), verification
 * progress, initial block download, blocks in flight, and the store's write time. Everything is
 * read from the chain's and the sync manager's published snapshots and the store's counters.
 */
final class ChainMeters {
  private ChainMeters() {}

  static void bind(MeterRegistry registry, NodeReadings node) {
    gauge(registry, "peerd.chain.tip.height.blocks", "Height of the tip (the best fully stored chain)", Tags.empty(),
        () -> node.chain().snapshot().tipHeight());
    gauge(registry, "peerd.chain.best.header.height.blocks", "Height of the best valid header", Tags.empty(),
        () -> node.chain().snapshot().bestHeader().height());
    gauge(registry, "peerd.sync.verification.progress.ratio", "Verification progress, 0 to 1, as Core estimates it",
        Tags.empty(),
        () -> node.initialBlockDownload().verificationProgress(node.chain().snapshot()));
    gauge(registry, "peerd.sync.initial.block.download", "1 while in initial block download, else 0", Tags.empty(),
        () -> node.initialBlockDownload().isActive(node.chain().snapshot()) ? 1 : 0);
    gauge(registry, "peerd.sync.blocks.in.flight", "Blocks requested from peers and not yet received", Tags.empty(),
        () -> node.sync().get().blocksInFlight());
    RocksChainStore store = node.store();
    FunctionTimer.builder("peerd.store.write", store, RocksChainStore::writeCount,
            RocksChainStore::writeNanosTotal, TimeUnit.NANOSECONDS)
        .description("Atomic batches written to the store (a header batch or a block) and their time")
        .register(registry); // the node holds the store
  }
}
