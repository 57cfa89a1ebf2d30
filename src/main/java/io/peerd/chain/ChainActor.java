package io.peerd.chain;

import io.peerd.actor.Actor;
import io.peerd.actor.Mailbox;
import io.peerd.store.StoreBatch;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.WireException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain actor: the one thread that validates and stores headers and blocks, and mines
 * regtest blocks on request. It never waits on another actor: results go out through
 * {@link Listener} callbacks that must only enqueue.
 *
 * <p>Mailbox: commands count against its capacity. A refused header or block batch is
 * treated by the sync manager as never received (it asks again); a refused generate request
 * fails its reply at once.
 */
public final class ChainActor extends Actor<ChainActor.Command> {
  private static final Logger log = LoggerFactory.getLogger(ChainActor.class);
  /** Misbehavior score for sending an invalid header or block: enough to discourage at once. */
  static final int INVALID_DATA_SCORE = 100;
  /**
   * Header refusals that are no fault of the sender: a parent we lack (announcements overtake),
   * a chain with too little work to store yet (the peer may be syncing, as we are).
   */
  private static final Set<String> BLAMELESS_HEADER_REASONS = Set.of("prev-blk-not-found", "too-little-chainwork");

  /** Where headers and blocks came from; a peer, or {@link #LOCAL} for blocks mined here. */
  public interface Source {
    /** Adds to the source's misbehavior score; must not block. */
    void misbehaving(int score, String reason);
  }

  public static final Source LOCAL = (score, reason) -> log.error("a locally built block was refused: {}", reason);
  /** Blocks a replicated log committed: refused only as every member refuses them, so nobody is to blame. */
  private static final Source COMMITTED = (score, reason) -> log.warn("a committed block was refused: {}", reason);

  /** What applying a committed log entry did; the same entry on the same chain does the same on every member. */
  public enum AppliedOutcome {
    CONNECTED,
    /** The block was already on the tip chain (it came first from a peer that applied it). */
    ALREADY_ON_CHAIN,
    /** Its parent is not the tip: a proposal from a leader that was deposed meanwhile. */
    STALE_PARENT,
    INVALID
  }

  /** Receives every result; implementations must only enqueue (they run on the chain thread). */
  public interface Listener {
    void headersProcessed(Source source, List<BlockHeader> headers, Chain.HeadersResult result);

    void blockProcessed(Source source, Hash hash, Chain.BlockResult result);

    /** The tip moved (a block connected, mined, or a reorg). */
    void tipChanged(ChainSnapshot snapshot);
  }

  sealed interface Command {}

  private record AcceptHeaders(Source source, List<BlockHeader> headers) implements Command {}

  private record AcceptBlock(Source source, Block block, byte[] serialized) implements Command {}

  private record Generate(int count, byte[] payTo, CompletableFuture<List<Hash>> reply) implements Command {}

  private record Build(byte[] payTo, CompletableFuture<Block> reply) implements Command {}

  private record ApplyCommitted(LogPosition position, byte[] serialized, CompletableFuture<AppliedOutcome> reply)
      implements Command {}

  private final Chain chain;
  private final Listener listener;
  private final BlockBuilder builder;
  private final PeerBlockLimit peerBlocks;
  private final LongSupplier clockSeconds;
  private long extraNonce;

  public ChainActor(Chain chain, Listener listener, LongSupplier clockSeconds, Mailbox mailbox,
      ThreadFactory threadFactory) {
    this(chain, listener, clockSeconds, mailbox, threadFactory, PeerBlockLimit.none());
  }

  /** @param peerBlocks how far blocks from peers may take the chain (HA production: only committed ones) */
  public ChainActor(Chain chain, Listener listener, LongSupplier clockSeconds, Mailbox mailbox,
      ThreadFactory threadFactory, PeerBlockLimit peerBlocks) {
    super("chain", mailbox, threadFactory);
    this.chain = chain;
    this.listener = listener;
    this.peerBlocks = peerBlocks;
    this.builder = new BlockBuilder(chain.params());
    this.clockSeconds = clockSeconds;
  }

  /** How far blocks from peers may take this chain; sync asks peers for no more than that. */
  public PeerBlockLimit peerBlocks() {
    return peerBlocks;
  }

  /** The thread-safe read side of the chain this actor owns. */
  public ChainView view() {
    return chain.view();
  }

  /** Queues headers for validation; false if the mailbox is full. */
  public boolean acceptHeaders(Source source, List<BlockHeader> headers) {
    return tell(new AcceptHeaders(source, headers));
  }

  /** Queues a block (with its serialized bytes, stored as received); false if the mailbox is full. */
  public boolean acceptBlock(Source source, Block block, byte[] serialized) {
    return tell(new AcceptBlock(source, block, serialized));
  }

  /** The most blocks one {@link #generate} may mine. */
  public static final int MAX_GENERATE_BLOCKS = 1_000_000;
  /** A generous time per block for a caller waiting on {@link #generate}; regtest blocks take about 1 ms. */
  private static final long GENERATE_MILLIS_PER_BLOCK = 100;
  private static final long GENERATE_QUEUE_MILLIS = 10_000;

  /**
   * Why {@link #generate} would refuse {@code count} blocks, worded with the caller's name for the
   * count, for callers that answer before asking; empty if it takes them.
   */
  public static Optional<String> generateCountError(String name, int count) {
    return count < 0 || count > MAX_GENERATE_BLOCKS
        ? Optional.of(name + " must be 0.." + MAX_GENERATE_BLOCKS + ", not " + count) : Optional.empty();
  }

  /** How long a caller may wait for {@code count} blocks to be mined: the queue ahead, then each block. */
  public static long generateWaitMillis(int count) {
    return GENERATE_QUEUE_MILLIS + count * GENERATE_MILLIS_PER_BLOCK;
  }

  /**
   * Mines {@code count} blocks (0 to {@link #MAX_GENERATE_BLOCKS}) on the tip paying {@code payTo},
   * at once: it never waits for peers (a producing node on a fresh chain has nobody to wait for).
   * Completes with their hashes.
   */
  public CompletableFuture<List<Hash>> generate(int count, byte[] payTo) {
    CompletableFuture<List<Hash>> reply = new CompletableFuture<>();
    Optional<String> countError = generateCountError("nblocks", count);
    if (countError.isPresent()) {
      reply.completeExceptionally(new IllegalArgumentException(countError.get()));
    } else if (!tell(new Generate(count, payTo, reply))) {
      reply.completeExceptionally(new IllegalStateException("chain is busy: its mailbox is full"));
    }
    return reply;
  }

  /** Mines a block on the tip without connecting it: a proposal for a replicated log. */
  public CompletableFuture<Block> build(byte[] payTo) {
    CompletableFuture<Block> reply = new CompletableFuture<>();
    if (!tell(new Build(payTo, reply))) {
      reply.completeExceptionally(new IllegalStateException("chain is busy: its mailbox is full"));
    }
    return reply;
  }

  /**
   * Applies a committed log entry (a serialized block) on the tip, storing {@code position} in the
   * same atomic write; false if the mailbox is full (the caller must offer it again: a committed
   * entry cannot be dropped).
   */
  public boolean applyCommitted(LogPosition position, byte[] serializedBlock, CompletableFuture<AppliedOutcome> reply) {
    return tell(new ApplyCommitted(position, serializedBlock, reply));
  }

  @Override
  protected void handle(Command command) {
    switch (command) {
      case AcceptHeaders c -> acceptHeaders(c);
      case AcceptBlock c -> acceptFromPeer(c);
      case Generate c -> generate(c);
      case Build c -> c.reply().complete(mine(c.payTo()));
      case ApplyCommitted c -> c.reply().complete(applyCommitted(c.position(), c.serialized()));
    }
  }

  @Override
  protected void discarded(Command command) {
    IllegalStateException stopped = new IllegalStateException("chain stopped");
    switch (command) {
      case Generate c -> c.reply().completeExceptionally(stopped);
      case Build c -> c.reply().completeExceptionally(stopped);
      case ApplyCommitted c -> c.reply().completeExceptionally(stopped);
      case AcceptHeaders c -> { }
      case AcceptBlock c -> { }
    }
  }

  private void acceptHeaders(AcceptHeaders command) {
    Chain.HeadersResult result = chain.acceptHeaders(command.headers());
    result.rejection().filter(e -> !BLAMELESS_HEADER_REASONS.contains(e.reason()))
        .ifPresent(e -> command.source().misbehaving(INVALID_DATA_SCORE, "invalid header: " + e.getMessage()));
    listener.headersProcessed(command.source(), command.headers(), result);
  }

  private void acceptFromPeer(AcceptBlock command) {
    Hash hash = command.block().hash();
    if (peerBlocks.allows(hash, chain.view())) {
      connect(command.source(), command.block(), command.serialized(), new StoreBatch());
    } else {
      listener.blockProcessed(command.source(), hash,
          new Chain.BlockResult(Chain.BlockOutcome.NOT_COMMITTED, Optional.empty(), Optional.empty()));
    }
  }

  private Chain.BlockResult connect(Source source, Block block, byte[] serialized, StoreBatch facts) {
    Chain.BlockResult result = chain.acceptBlock(block, serialized, facts);
    if (result.outcome() == Chain.BlockOutcome.INVALID) {
      source.misbehaving(INVALID_DATA_SCORE, "invalid block " + block.hash() + ": "
          + result.rejection().map(Throwable::getMessage).orElse("?"));
    }
    listener.blockProcessed(source, block.hash(), result);
    if (result.reorg().isPresent()) {
      listener.tipChanged(chain.view().snapshot());
    }
    return result;
  }

  private Block mine(byte[] payTo) {
    return builder.mine(chain.tip(), payTo, ++extraNonce, clockSeconds.getAsLong());
  }

  private AppliedOutcome applyCommitted(LogPosition position, byte[] serialized) {
    StoreBatch facts = new StoreBatch().putFact(LogPosition.FACT, position.encode());
    Block block;
    try {
      block = Block.fromBytes(serialized);
    } catch (WireException e) {
      chain.writeFacts(facts);
      return AppliedOutcome.INVALID;
    }
    if (chain.view().isOnTipChain(block.hash())) {
      chain.writeFacts(facts);
      return AppliedOutcome.ALREADY_ON_CHAIN;
    }
    if (!block.header().previousHash().equals(chain.tip().hash())) {
      chain.writeFacts(facts);
      return AppliedOutcome.STALE_PARENT;
    }
    Chain.BlockResult result = connect(COMMITTED, block, serialized, facts);
    return result.outcome() == Chain.BlockOutcome.CONNECTED ? AppliedOutcome.CONNECTED : AppliedOutcome.INVALID;
  }

  private void generate(Generate command) {
    List<Hash> mined = new ArrayList<>(command.count());
    try {
      for (int i = 0; i < command.count(); i++) {
        Block block = mine(command.payTo());
        Chain.BlockResult result = connect(LOCAL, block, block.serialize(true), new StoreBatch());
        if (result.outcome() != Chain.BlockOutcome.CONNECTED) {
          throw new IllegalStateException("mined block " + block.hash() + " was " + result.outcome());
        }
        mined.add(block.hash());
      }
      command.reply().complete(mined);
    } catch (RuntimeException e) {
      command.reply().completeExceptionally(e);
    }
  }
}
