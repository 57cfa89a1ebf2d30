package io.peerd.chain;

import io.peerd.store.ChainStore;
import io.peerd.store.HeaderStatus;
import io.peerd.store.StoreBatch;
import io.peerd.store.StoredHeader;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.Message;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The header tree, the best header, the tip, and their persistence.
 *
 * <p>Two chains matter to a headers-first node: the <em>best header</em> chain, the valid
 * header chain with the most work, which tells sync what to download; and the <em>tip</em>, the
 * most-work valid chain whose blocks are all stored, which is what the node serves. The store's
 * height index follows the tip. Invalid headers stay in the tree (and the store) marked, so they
 * and their descendants are refused when seen again.
 *
 * <p>Not thread-safe: one owner thread (the chain actor) calls every method. Everything one
 * {@link #acceptHeaders} or {@link #acceptBlock} call changes is written in one atomic batch.
 * Other threads read the chain through {@link #view()}, which every change republishes.
 */
public final class Chain {
  /** Headers a getheaders locator may list (the protocol's cap). */
  public static final int MAX_LOCATOR_HASHES = 101;
  private static final int LOCATOR_DENSE_HASHES = 10;

  /** What happened to a block. */
  /** NOT_COMMITTED: a peer's block past what {@link PeerBlockLimit} allows (HA production), not taken. */
  public enum BlockOutcome { CONNECTED, STORED, DUPLICATE, INVALID, UNKNOWN_PARENT, NOT_COMMITTED }

  public record HeadersResult(int acceptedCount, Optional<VerificationException> rejection) {}

  /** {@code reorg} is present when the tip moved; {@code rejection} when the block was invalid. */
  public record BlockResult(BlockOutcome outcome, Optional<Reorg> reorg, Optional<VerificationException> rejection) {}

  /** A tip move: the fork point, then the blocks left and joined, both in height order. */
  public record Reorg(int forkHeight, List<Hash> disconnected, List<Hash> connected) {}

  private final NetworkParameters params;
  private final ChainStore store;
  private final HeaderValidator headerValidator;
  private final BlockValidator blockValidator;
  /** Concurrent because {@link ChainView} reads it from other threads; only this class writes. */
  private final Map<Hash, HeaderNode> index = new ConcurrentHashMap<>();
  /** The tip's chain by height: tipChain.get(h) is the tip's ancestor at height h. */
  private final List<HeaderNode> tipChain = new ArrayList<>();
  private HeaderNode bestHeader;
  private ChainView view;

  private Chain(NetworkParameters params, ChainStore store, LongSupplier adjustedTimeSeconds) {
    this.params = params;
    this.store = store;
    this.headerValidator = new HeaderValidator(params, adjustedTimeSeconds);
    this.blockValidator = new BlockValidator(params);
  }

  /**
   * Loads the header tree from {@code store}, or writes the genesis block into an empty store.
   *
   * @param adjustedTimeSeconds the clock headers' times are checked against
   */
  public static Chain open(NetworkParameters params, ChainStore store, LongSupplier adjustedTimeSeconds) {
    Chain chain = new Chain(params, store, adjustedTimeSeconds);
    if (store.bestTip().isEmpty()) {
      chain.writeGenesis();
    } else {
      chain.load();
    }
    chain.view = new ChainView(chain.index, store, chain.snapshot());
    return chain;
  }

  private void writeGenesis() {
    Block genesis = params.genesis();
    HeaderNode node = new HeaderNode(genesis.header(), null, HeaderStatus.VALID, true);
    node.setTxCount(genesis.transactions().size());
    node.setChainStored();
    node.countChainTransactions();
    index.put(node.hash(), node);
    tipChain.add(node);
    bestHeader = node;
    store.write(new StoreBatch().putHeader(node.toStored()).putBlock(node.hash(), genesis.serialize(true))
        .moveBestChain(-1, List.of(node.hash())));
  }

  private void load() {
    Map<Hash, List<StoredHeader>> byParent = new HashMap<>();
    store.forEachHeader(h -> byParent.computeIfAbsent(h.header().previousHash(), k -> new ArrayList<>()).add(h));
    List<StoredHeader> roots = byParent.getOrDefault(Hash.ZERO, List.of());
    if (roots.size() != 1 || !roots.get(0).hash().equals(params.genesisHash())) {
      throw new IllegalStateException("store does not hold " + params.name() + "'s genesis block");
    }
    ArrayDeque<HeaderNode> pending = new ArrayDeque<>();
    pending.add(addLoaded(roots.get(0), null));
    while (!pending.isEmpty()) {
      HeaderNode parent = pending.poll();
      for (StoredHeader child : byParent.getOrDefault(parent.hash(), List.of())) {
        pending.add(addLoaded(child, parent));
      }
    }
    Hash storedTip = store.bestTip().orElseThrow().hash();
    HeaderNode tip = index.get(storedTip);
    if (tip == null || !tip.chainStored() || !tip.isValid()) {
      throw new IllegalStateException("stored tip " + storedTip + " is not a valid stored chain");
    }
    setTipChain(tip);
    bestHeader = mostWorkValidHeader();
    if (bestHeader.chainWork().compareTo(tip.chainWork()) == 0) {
      bestHeader = tip; // equal work: prefer the chain we already serve
    }
  }

  private HeaderNode addLoaded(StoredHeader stored, HeaderNode parent) {
    HeaderNode node = new HeaderNode(stored.header(), parent, stored.status(), stored.hasBlock());
    node.setTxCount(stored.txCount());
    if (node.hasBlock() && (parent == null || parent.chainStored())) {
      node.setChainStored();
      node.countChainTransactions();
    }
    index.put(node.hash(), node);
    return node;
  }

  /**
   * Validates and adds headers in order; stops at the first invalid one, which is remembered
   * as invalid. Headers already known are skipped. One atomic write for the whole batch. A batch
   * with too little work ({@link #tooLittleWork}) is ignored whole: nothing accepted, nothing stored.
   */
  public HeadersResult acceptHeaders(List<BlockHeader> headers) {
    Optional<VerificationException> tooLittleWork = tooLittleWork(headers);
    if (tooLittleWork.isPresent()) {
      return new HeadersResult(0, tooLittleWork);
    }
    StoreBatch batch = new StoreBatch();
    int accepted = 0;
    Optional<VerificationException> rejection = Optional.empty();
    for (BlockHeader header : headers) {
      try {
        HeaderNode known = index.get(header.hash());
        if (known == null) {
          addHeader(header, batch);
        } else if (!known.isValid()) {
          throw new VerificationException("duplicate-invalid", "header " + header.hash() + " is known invalid");
        }
        accepted++;
      } catch (VerificationException e) {
        rejection = Optional.of(e);
        break;
      }
    }
    writeIfAny(batch);
    publish();
    return new HeadersResult(accepted, rejection);
  }

  /**
   * The bound on low-work headers: a batch whose new last header would have less than the
   * network's minimum chain work is stored only if it is a full batch (the most a peer sends)
   * that ends with more work than the best header. Honest header sync grows one chain by full
   * batches; short batches and forks below the minimum are ignored, as Core ignores them (without
   * its pre-sync, which downloads such a chain twice so it never stores one that falls short).
   * Work is claimed from each header's bits, before validation, as Core counts it.
   */
  private Optional<VerificationException> tooLittleWork(List<BlockHeader> headers) {
    HeaderNode parent = headers.isEmpty() ? null : index.get(headers.getFirst().previousHash());
    if (parent == null || index.containsKey(headers.getLast().hash())) {
      return Optional.empty(); // nothing new to weigh, or refused below for its unknown parent
    }
    BigInteger claimedWork = parent.chainWork();
    for (BlockHeader header : headers) {
      claimedWork = claimedWork.add(ProofOfWork.work(header.bits()));
    }
    boolean syncing = headers.size() == Message.MAX_HEADERS && claimedWork.compareTo(bestHeader.chainWork()) > 0;
    if (claimedWork.compareTo(params.minimumChainWork()) >= 0 || syncing) {
      return Optional.empty();
    }
    return Optional.of(new VerificationException("too-little-chainwork",
        headers.size() + " headers up to " + headers.getLast().hash() + " have less than the minimum chain work"));
  }

  /** Validates a new header; invalid headers with a known parent are added as INVALID. */
  private HeaderNode addHeader(BlockHeader header, StoreBatch batch) throws VerificationException {
    HeaderNode parent = index.get(header.previousHash());
    if (parent == null) {
      throw new VerificationException("prev-blk-not-found", "unknown parent of " + header.hash());
    }
    if (!parent.isValid()) {
      headerValidator.checkProofOfWork(header); // only remember headers that cost work
      markNew(header, parent, HeaderStatus.INVALID_ANCESTOR, batch);
      throw new VerificationException("bad-prevblk", "parent of " + header.hash() + " is invalid");
    }
    try {
      headerValidator.check(header, parent);
      checkNotForkBeforeCheckpoint(parent.height() + 1);
    } catch (VerificationException e) {
      if (!"high-hash".equals(e.reason())) {
        markNew(header, parent, HeaderStatus.INVALID, batch);
      }
      throw e;
    }
    HeaderNode node = markNew(header, parent, HeaderStatus.VALID, batch);
    if (node.chainWork().compareTo(bestHeader.chainWork()) > 0) {
      bestHeader = node;
    }
    return node;
  }

  private HeaderNode markNew(BlockHeader header, HeaderNode parent, HeaderStatus status, StoreBatch batch) {
    HeaderNode node = new HeaderNode(header, parent, status, false);
    index.put(node.hash(), node);
    batch.putHeader(node.toStored());
    return node;
  }

  /** Refuses a header that would fork the chain below a checkpoint we already hold. */
  private void checkNotForkBeforeCheckpoint(int height) throws VerificationException {
    for (Checkpoint checkpoint : params.checkpoints()) {
      if (checkpoint.height() > height && index.containsKey(checkpoint.hash())) {
        throw new VerificationException("bad-fork-prior-to-checkpoint",
            "height " + height + " forks below checkpoint " + checkpoint.height());
      }
    }
  }

  /**
   * Validates and stores a block (adding its header first if new). If it completes a chain with
   * more work than the tip, the tip moves there (possibly a reorg) in the same atomic write.
   */
  public BlockResult acceptBlock(Block block, byte[] serialized) {
    return acceptBlock(block, serialized, new StoreBatch());
  }

  /** Like {@link #acceptBlock(Block, byte[])}; {@code batch}'s facts are written with it, whatever the outcome. */
  public BlockResult acceptBlock(Block block, byte[] serialized, StoreBatch batch) {
    HeaderNode node = index.get(block.hash());
    try {
      if (node == null) {
        node = addHeader(block.header(), batch);
      } else if (!node.isValid()) {
        throw new VerificationException("duplicate-invalid", "block " + block.hash() + " is known invalid");
      }
      if (node.hasBlock()) {
        writeIfAny(batch);
        return new BlockResult(BlockOutcome.DUPLICATE, Optional.empty(), Optional.empty());
      }
      blockValidator.check(block, node.height());
    } catch (VerificationException e) {
      rejectBlock(block, node, e, batch);
      writeIfAny(batch);
      publish();
      BlockOutcome outcome = "prev-blk-not-found".equals(e.reason()) ? BlockOutcome.UNKNOWN_PARENT : BlockOutcome.INVALID;
      return new BlockResult(outcome, Optional.empty(), Optional.of(e));
    }
    node.setHasBlock();
    node.setTxCount(block.transactions().size());
    batch.putHeader(node.toStored()).putBlock(node.hash(), serialized);
    Optional<Reorg> reorg = extendStoredChains(node, batch);
    store.write(batch);
    publish();
    return new BlockResult(reorg.isPresent() ? BlockOutcome.CONNECTED : BlockOutcome.STORED, reorg, Optional.empty());
  }

  /**
   * A block that fails its body checks invalidates its header and every descendant, unless it
   * may be mutated: then another block with the same header may be valid, so only the copy is
   * refused. Which failures those are is {@link BlockValidator#mayBeMutated}'s to say.
   */
  private void rejectBlock(Block block, HeaderNode node, VerificationException e, StoreBatch batch) {
    boolean headerIsGuilty = node != null && node.isValid() && !BlockValidator.mayBeMutated(e.reason());
    if (headerIsGuilty) {
      invalidate(node, batch);
    }
  }

  private void invalidate(HeaderNode node, StoreBatch batch) {
    node.setStatus(HeaderStatus.INVALID);
    batch.putHeader(node.toStored());
    ArrayDeque<HeaderNode> descendants = new ArrayDeque<>(node.children());
    while (!descendants.isEmpty()) {
      HeaderNode child = descendants.poll();
      child.setStatus(HeaderStatus.INVALID_ANCESTOR);
      batch.putHeader(child.toStored());
      descendants.addAll(child.children());
    }
    if (!bestHeader.isValid()) {
      bestHeader = mostWorkValidHeader();
    }
  }

  /** The best header after a branch turned invalid: most work, and on equal work the first seen (as Core). */
  private HeaderNode mostWorkValidHeader() {
    return index.values().stream().filter(HeaderNode::isValid).max(HeaderNode.MOST_WORK_FIRST_SEEN).orElseThrow();
  }

  /** Marks chains completed by {@code node}'s block and moves the tip to the heaviest of them. */
  private Optional<Reorg> extendStoredChains(HeaderNode node, StoreBatch batch) {
    if (!node.parent().chainStored()) {
      return Optional.empty();
    }
    HeaderNode heaviest = null;
    ArrayDeque<HeaderNode> completed = new ArrayDeque<>(List.of(node));
    while (!completed.isEmpty()) {
      HeaderNode next = completed.poll();
      next.setChainStored();
      next.countChainTransactions();
      if (next.isValid() && (heaviest == null || next.chainWork().compareTo(heaviest.chainWork()) > 0)) {
        heaviest = next;
      }
      for (HeaderNode child : next.children()) {
        if (child.hasBlock()) {
          completed.add(child);
        }
      }
    }
    if (heaviest == null || heaviest.chainWork().compareTo(tip().chainWork()) <= 0) {
      return Optional.empty();
    }
    Reorg reorg = moveTip(heaviest);
    batch.moveBestChain(reorg.forkHeight(), reorg.connected());
    return Optional.of(reorg);
  }

  private Reorg moveTip(HeaderNode newTip) {
    HeaderNode fork = newTip;
    while (fork.height() >= tipChain.size() || tipChain.get(fork.height()) != fork) {
      fork = fork.parent();
    }
    List<Hash> disconnected = new ArrayList<>();
    for (int h = fork.height() + 1; h < tipChain.size(); h++) {
      disconnected.add(tipChain.get(h).hash());
    }
    List<HeaderNode> joined = new ArrayList<>();
    for (HeaderNode node = newTip; node != fork; node = node.parent()) {
      joined.add(node);
    }
    // Only the part above the fork changes: rebuilding from genesis would make a sync quadratic.
    tipChain.subList(fork.height() + 1, tipChain.size()).clear();
    tipChain.addAll(joined.reversed());
    List<Hash> connected = joined.reversed().stream().map(HeaderNode::hash).toList();
    return new Reorg(fork.height(), disconnected, connected);
  }

  private void setTipChain(HeaderNode newTip) {
    HeaderNode[] chain = new HeaderNode[newTip.height() + 1];
    for (HeaderNode node = newTip; node != null; node = node.parent()) {
      chain[node.height()] = node;
    }
    tipChain.clear();
    Collections.addAll(tipChain, chain);
  }

  private void writeIfAny(StoreBatch batch) {
    if (!batch.isEmpty()) {
      store.write(batch);
    }
  }

  /** Republishes the snapshot after a change, once the change is in the store. */
  private void publish() {
    ChainSnapshot current = snapshot();
    ChainSnapshot published = view.snapshot();
    if (current.tip() != published.tip() || current.bestHeader() != published.bestHeader()) {
      view.publish(current);
    }
  }

  public ChainSnapshot snapshot() {
    return new ChainSnapshot(tip(), bestHeader);
  }

  /** The thread-safe read side of this chain. */
  public ChainView view() {
    return view;
  }

  public NetworkParameters params() {
    return params;
  }

  /** Writes facts that come with no block (see {@link StoreBatch#putFact}). */
  public void writeFacts(StoreBatch facts) {
    store.write(facts);
  }

  public HeaderNode tip() {
    return tipChain.get(tipChain.size() - 1);
  }

  public int tipHeight() {
    return tipChain.size() - 1;
  }

  public HeaderNode bestHeader() {
    return bestHeader;
  }

  public Optional<HeaderNode> header(Hash hash) {
    return Optional.ofNullable(index.get(hash));
  }

  /** The tip chain's block hash at {@code height}, if the tip is that high. */
  public Optional<Hash> hashAtHeight(int height) {
    return height >= 0 && height < tipChain.size() ? Optional.of(tipChain.get(height).hash()) : Optional.empty();
  }

  public Optional<byte[]> block(Hash hash) {
    return store.block(hash);
  }

  /** Number of headers in the tree, invalid ones included. */
  public int headerCount() {
    return index.size();
  }

  /**
   * A getheaders locator from {@code from}: the 10 most recent hashes, then doubling steps back,
   * always ending at genesis; at most {@link #MAX_LOCATOR_HASHES} entries.
   */
  public static List<Hash> locator(HeaderNode from) {
    List<Hash> hashes = new ArrayList<>();
    int step = 1;
    HeaderNode node = from;
    while (node != null && hashes.size() < MAX_LOCATOR_HASHES - 1) {
      hashes.add(node.hash());
      if (node.height() == 0) {
        return hashes;
      }
      if (hashes.size() >= LOCATOR_DENSE_HASHES) {
        step *= 2;
      }
      node = node.ancestor(Math.max(0, node.height() - step));
    }
    HeaderNode genesis = from.ancestor(0);
    hashes.add(genesis.hash());
    return hashes;
  }
}
