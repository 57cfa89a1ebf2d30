package io.peerd.ha;

import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainActor.AppliedOutcome;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.LogPosition;
import io.peerd.wire.Hash;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine: each committed entry is a serialized block, applied in log order to the
 * chain through its actor's mailbox, with the entry's position stored in the block's own atomic
 * write. Entries at or below the position the chain already holds are skipped (Ratis replays its
 * log from the start after a restart), so none is applied twice and none skipped.
 *
 * <p>A snapshot is a pointer: the chain is the state, so a snapshot file names the tip at an
 * applied position, and Ratis may then drop the log before it. A member that installs a snapshot
 * from the leader (its log fell behind the leader's compacted log) takes the blocks up to that tip
 * from its P2P peers: block entries after the snapshot wait until the tip is on its chain.
 *
 * <p>Runs on Ratis's state machine updater thread, which is not an actor: when the chain's mailbox
 * is full it waits ({@link #MAILBOX_FULL_PAUSE_MILLIS} at a time) rather than drop a committed
 * entry, and after a snapshot it waits for the snapshot's tip ({@link #SNAPSHOT_TIP_POLL_MILLIS} at
 * a time, until the member stops); the chain never waits on Raft.
 */
final class BlockLog extends BaseStateMachine {
  private static final Logger log = LoggerFactory.getLogger(BlockLog.class);
  static final long MAILBOX_FULL_PAUSE_MILLIS = 1;
  static final long SNAPSHOT_TIP_POLL_MILLIS = 50;
  private static final long SNAPSHOT_TIP_LOG_MILLIS = 30_000;

  private final ChainActor chain;
  private final ChainView view;
  private final SimpleStateMachineStorage snapshots = new SimpleStateMachineStorage();
  private final AtomicLong snapshotsInstalled = new AtomicLong();
  /** A snapshot's tip not yet on the chain: block entries wait for it. Updater thread. */
  private volatile Hash awaitedTip;
  /** Set as the member stops: Ratis joins the updater thread without interrupting it. */
  private volatile boolean stopping;
  private final AtomicLongArray outcomes = new AtomicLongArray(AppliedOutcome.values().length);
  /** The last entry's position update; each waits for the one before. Updater thread only. */
  private CompletableFuture<Void> appliedInOrder = CompletableFuture.completedFuture(null);
  /** The position the chain held at start: entries up to it were applied before. */
  private volatile long heldAtStartIndex = -1;

  BlockLog(ChainActor chain, ChainView view) {
    this.chain = chain;
    this.view = view;
  }

  /** Applied up to the chain's stored position, or the latest snapshot's if that is further. */
  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
    super.initialize(server, groupId, storage);
    getLifeCycle().startAndTransition(() -> {
      snapshots.init(storage);
      view.lastAppliedLogPosition().ifPresent(held -> {
        heldAtStartIndex = held.index();
        updateLastAppliedTermIndex(held.term(), held.index());
      });
      SingleFileSnapshotInfo latest = snapshots.getLatestSnapshot();
      if (latest != null && latest.getIndex() > heldAtStartIndex) {
        startFrom(latest);
      }
    }, IOException.class);
  }

  /** Ratis pauses the state machine before it installs the leader's snapshot. */
  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  /** After installing the leader's snapshot: applied up to it, once its tip is on the chain. */
  @Override
  public void reinitialize() throws IOException {
    SingleFileSnapshotInfo installed = snapshots.loadLatestSnapshot();
    if (installed != null) {
      snapshotsInstalled.incrementAndGet();
      startFrom(installed);
    }
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  private void startFrom(SingleFileSnapshotInfo snapshot) throws IOException {
    Hash tip = Hash.fromHex(Files.readString(snapshot.getFile().getPath(), StandardCharsets.US_ASCII).strip());
    heldAtStartIndex = Math.max(heldAtStartIndex, snapshot.getIndex());
    updateLastAppliedTermIndex(snapshot.getTerm(), snapshot.getIndex());
    if (!view.isOnTipChain(tip)) {
      awaitedTip = tip;
      chain.peerBlocks().allowUpTo(tip);
      log.info("HA snapshot at log index {}: waiting for its tip {} from P2P peers", snapshot.getIndex(), tip);
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  /** Writes a pointer to the tip, which holds every block applied so far (read after the position). */
  @Override
  public long takeSnapshot() throws IOException {
    TermIndex applied = getLastAppliedTermIndex();
    HeaderNode tip = view.snapshot().tip();
    if (applied == null || applied.getIndex() <= 0 || awaitedTip != null) {
      return RaftLog.INVALID_LOG_INDEX; // nothing applied yet, or the chain is not at the last snapshot yet
    }
    File file = snapshots.getSnapshotFile(applied.getTerm(), applied.getIndex());
    Files.writeString(file.toPath(), tip.hash() + "\n", StandardCharsets.US_ASCII);
    snapshots.updateLatestSnapshot(new SingleFileSnapshotInfo(
        new FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file)), applied));
    return applied.getIndex();
  }

  /** Snapshots this member installed from the leader since start. */
  long snapshotsInstalled() {
    return snapshotsInstalled.get();
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
    if (!awaitSnapshotTip()) {
      outcome.completeExceptionally(new IllegalStateException("stopped waiting for the snapshot's tip"));
      return outcome.thenApply(applied -> Message.EMPTY);
    }
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

  /** Ends a wait for a snapshot's tip; called before the Raft server closes. */
  void stopWaiting() {
    stopping = true;
  }

  /** Waits until the last snapshot's tip is on the chain; false if the member stops first. */
  private boolean awaitSnapshotTip() {
    long loggedAtNanos = System.nanoTime();
    while (awaitedTip != null && !view.isOnTipChain(awaitedTip)) {
      if (stopping) {
        return false;
      }
      if (System.nanoTime() - loggedAtNanos > TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_TIP_LOG_MILLIS)) {
        log.info("still waiting for the HA snapshot's tip {} from P2P peers (chain at {})", awaitedTip,
            view.snapshot().tip().height());
        loggedAtNanos = System.nanoTime();
      }
      try {
        Thread.sleep(SNAPSHOT_TIP_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    awaitedTip = null;
    chain.peerBlocks().close();
    return true;
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
