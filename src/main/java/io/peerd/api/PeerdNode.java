package io.peerd.api;

import io.peerd.chain.Address;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.InvalidAddressException;
import io.peerd.node.Node;
import io.peerd.server.Server;
import io.peerd.store.StoreException;
import io.peerd.wire.Hash;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A peerd node inside a Java service. Build it with {@link #builder()}, subscribe, {@link #start}
 * it, read its chain, and {@link #close} it (which closes its subscriptions too):
 *
 * <pre>{@code
 * try (PeerdNode node = PeerdNode.builder().network(Network.REGTEST).dataDirectory(dir).build()) {
 *   node.subscribe(event -> System.out.println(event));
 *   node.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Reads ({@link #height}, {@link #header}, {@link #block}...) see the chain the node
 * last published and never wait for it; once the node is closed, header reads still answer from
 * memory and block reads fail with {@link PeerdException}.
 */
public final class PeerdNode implements AutoCloseable {
  private final Node node;
  private final EventHub hub;
  private final Network network;
  private final int subscriptionCapacity;

  PeerdNode(Node node, EventHub hub, Network network, int subscriptionCapacity) {
    this.node = node;
    this.hub = hub;
    this.network = network;
    this.subscriptionCapacity = subscriptionCapacity;
  }

  public static PeerdNodeBuilder builder() {
    return new PeerdNodeBuilder();
  }

  /** Starts listening, dialing and syncing; returns once every service runs. */
  public void start() {
    try {
      node.start();
    } catch (Exception e) {
      throw new PeerdException("peerd did not start: " + e.getMessage(), e);
    }
  }

  /** Stops the node and closes its subscriptions and data directory (idempotent, bounded in time). */
  @Override
  public void close() {
    try {
      node.close();
    } finally {
      hub.close();
    }
  }

  // ------------------------------------------------------------ events

  /** Every kind of event, in a queue of the builder's capacity. */
  public Subscription subscribe(Consumer<? super NodeEvent> handler) {
    return subscribe(EnumSet.allOf(NodeEvent.Kind.class), subscriptionCapacity, handler);
  }

  /**
   * The events of {@code kinds} ({@link NodeEvent.Missed} always), in a queue of {@code capacity}
   * events, handed to {@code handler} on the subscription's own virtual thread. At most 64
   * subscriptions at once.
   */
  public Subscription subscribe(Set<NodeEvent.Kind> kinds, int capacity, Consumer<? super NodeEvent> handler) {
    Set<NodeEvent.Kind> withMissed = EnumSet.of(NodeEvent.Kind.MISSED);
    withMissed.addAll(kinds);
    return hub.subscribe(capacity, withMissed, handler);
  }

  // ------------------------------------------------------------ the chain

  public Network network() {
    return network;
  }

  /** The height of the best chain's tip (0: only the genesis block). */
  public int height() {
    return node.snapshot().tipHeight();
  }

  public BlockHash bestBlockHash() {
    return BlockHash.of(node.snapshot().tip().hash());
  }

  /** The header of the best chain's tip. */
  public Header tip() {
    return Header.of(node.snapshot().tip());
  }

  /** The header with the most work known; ahead of {@link #tip()} while blocks download. */
  public Header bestHeader() {
    return Header.of(node.snapshot().bestHeader());
  }

  /** A header the node knows, on the best chain or not. */
  public Optional<Header> header(BlockHash hash) {
    return node.chainView().header(hash.toHash()).map(Header::of);
  }

  /** The header of the best chain at {@code height}. */
  public Optional<Header> headerAt(int height) {
    return node.chainView().onTipChain(height).map(Header::of);
  }

  /** A stored block, serialized as on the wire (with witness data); empty if the node lacks it. */
  public Optional<byte[]> block(BlockHash hash) {
    try {
      return node.chainView().block(hash.toHash());
    } catch (StoreException e) {
      throw new PeerdException(e.getMessage(), e);
    }
  }

  /** The best chain's block at {@code height}, serialized as on the wire. */
  public Optional<byte[]> blockAt(int height) {
    ChainView view = node.chainView();
    return view.onTipChain(height).map(HeaderNode::hash).flatMap(hash -> block(BlockHash.of(hash)));
  }

  /** True when every block up to the best header is connected. */
  public boolean blocksCaughtUp() {
    return node.snapshot().blocksCaughtUp();
  }

  /** The peers connected now (their handshake done). */
  public List<PeerInfo> peers() {
    Server server = node.server();
    return server == null ? List.of()
        : server.state().activePeers().stream().map(e -> PeerInfo.of(e.peer())).toList();
  }

  /** Where the node accepts peers; empty when it does not listen or has not started. */
  public Optional<InetSocketAddress> listenAddress() {
    return Optional.ofNullable(node.p2pAddress());
  }

  /**
   * Regtest only: mines {@code blocks} blocks (0 to 1,000,000) on the tip paying {@code address}, as
   * RPC {@code generatetoaddress}, and returns their hashes once they are connected.
   */
  public List<BlockHash> generateToAddress(int blocks, String address) {
    if (network != Network.REGTEST) {
      throw new UnsupportedOperationException("generateToAddress is for regtest only");
    }
    ChainActor.generateCountError("blocks", blocks).ifPresent(error -> {
      throw new IllegalArgumentException(error);
    });
    long waitMillis = ChainActor.generateWaitMillis(blocks);
    try {
      byte[] script = Address.toScriptPubKey(address, network.params());
      List<Hash> mined = node.chainActor().generate(blocks, script).get(waitMillis, TimeUnit.MILLISECONDS);
      return mined.stream().map(BlockHash::of).toList();
    } catch (InvalidAddressException e) {
      throw new IllegalArgumentException("not a regtest address: " + address + " (" + e.getMessage() + ")", e);
    } catch (ExecutionException e) {
      throw new PeerdException("mining failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new PeerdException("mining took over " + waitMillis + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerdException("interrupted while mining", e);
    }
  }
}
