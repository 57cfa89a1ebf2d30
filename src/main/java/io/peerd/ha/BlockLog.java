package io.peerd.ha;

import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainActor.AppliedOutcome;
import io.peerd.chain.LogPosition;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine: each committed entry is a serialized block, applied in log order to the
 * chain through its actor's mailbox, with the entry's position stored in the block's own atomic
 * write. Entries at or below the position the chain already holds are skipped (Ratis replays its
 * log from the start after a restart), so none is applied twice and none skipped.
 *
 * <p>Runs on Ratis's state machine updater thread, which is not an actor: when the chain's mailbox
 * is full it waits ({@link #MAILBOX_FULL_PAUSE_MILLIS} at a time) rather than drop a committed
 * entry; the chain never waits on Raft.
 */
final class BlockLog extends BaseStateMachine {
  private static final Logger log = LoggerFactory.getLogger(BlockLog.class);
  static final long MAILBOX_FULL_PAUSE_MILLIS = 1;

  private final ChainActor chain;
  private final Supplier<Optional<LogPosition>> storedPosition;
  private final AtomicLongArray outcomes = new AtomicLongArray(AppliedOutcome.values().length);
  /** The last entry's position update; each waits for the one before. Updater thread only. */
  private CompletableFuture<Void> appliedInOrder = CompletableFuture.completedFuture(null);
  /** The position the chain held at start: entries up to it were applied before. */
  private volatile long heldAtStartIndex = -1;

  BlockLog(ChainActor chain, Supplier<Optional<LogPosition>> storedPosition) {
    this.chain = chain;
    this.storedPosition = storedPosition;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    storedPosition.get().ifPresent(held -> {
      heldAtStartIndex = held.index();
      updateLastAppliedTermIndex(held.term(), held.index());
    });
  }

  /** Entries that carry no block (configuration, a new leader's first entry); those already held are skipped. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    if (index > heldAtStartIndex) {
      advanceAfterEarlierEntries(term, index, CompletableFuture.completedFuture(null));
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
    LogEntryProto entry = transaction.getLogEntry();
    long term = entry.getTerm();
    long index = entry.getIndex();
    if (index <= heldAtStartIndex) {
      return CompletableFuture.completedFuture(Message.valueOf("applied before"));
    }
    byte[] block = entry.getStateMachineLogEntry().getLogData().toByteArray();
    CompletableFuture<AppliedOutcome> outcome = new CompletableFuture<>();
    offer(new LogPosition(term, index), block, outcome);
    advanceAfterEarlierEntries(term, index, outcome);
    return outcome.thenApply(applied -> {
      outcomes.incrementAndGet(applied.ordinal());
      if (applied == AppliedOutcome.STALE_PARENT || applied == AppliedOutcome.INVALID) {
        log.info("log entry {}:{} refused: {}", term, index, applied);
      }
      return Message.valueOf(applied.name());
    });
  }

  /**
   * Moves the applied position to {@code index} once {@code done} and every earlier entry are
   * done: block entries complete later on the chain thread, entries without a block at once, and
   * the position must only grow.
   */
  private void advanceAfterEarlierEntries(long term, long index, CompletableFuture<?> done) {
    appliedInOrder = appliedInOrder.thenCombine(done, (earlier, entry) -> null)
        .thenRun(() -> updateLastAppliedTermIndex(term, index));
  }

  /** Entries applied since start with this outcome. */
  long outcomeCount(AppliedOutcome outcome) {
    return outcomes.get(outcome.ordinal());
  }

  /** Entries refused by every member alike: stale proposals from a deposed leader, or invalid blocks. */
  long refusedCount() {
    return outcomeCount(AppliedOutcome.STALE_PARENT) + outcomeCount(AppliedOutcome.INVALID);
  }

  private void offer(LogPosition position, byte[] block, CompletableFuture<AppliedOutcome> outcome) {
    while (!chain.applyCommitted(position, block, outcome)) {
      try {
        Thread.sleep(MAILBOX_FULL_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome.completeExceptionally(e);
        return;
      }
    }
  }
}
