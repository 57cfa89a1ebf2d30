package io.peerd.api;

import io.peerd.chain.Chain;
import io.peerd.chain.ChainView;
import io.peerd.chain.HeaderNode;
import io.peerd.node.NodeEvents;
import io.peerd.peer.PeerHandle;
import io.peerd.wire.Hash;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Turns the node's events into {@link NodeEvent}s and offers each to every subscription. Runs on
 * the chain and server threads: it builds small records and offers them, nothing else (no
 * subscription: nothing is built). At most {@link #MAX_SUBSCRIPTIONS} subscriptions at once.
 */
final class EventHub implements NodeEvents {
  /** Each subscription costs the node an offer per event: a bound on the work an event causes. */
  static final int MAX_SUBSCRIPTIONS = 64;

  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicLong created = new AtomicLong();
  /** Taken by subscribe and close only, never by the node's threads (they read the copy-on-write list). */
  private final ReentrantLock registration = new ReentrantLock();
  private boolean closed;

  Subscription subscribe(int capacity, Set<NodeEvent.Kind> kinds, Consumer<? super NodeEvent> handler) {
    Subscription subscription = new Subscription(capacity, kinds, handler,
        "peerd-subscription-" + created.incrementAndGet(), subscriptions::remove);
    registration.lock(); // the bound and the closed check hold against racing subscribers
    try {
      if (closed) {
        throw new IllegalStateException("the node is closed");
      }
      if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
        throw new IllegalStateException("at most " + MAX_SUBSCRIPTIONS + " subscriptions at once");
      }
      subscriptions.add(subscription);
    } finally {
      registration.unlock();
    }
    subscription.start();
    return subscription;
  }

  /** Closes every subscription; later subscribe calls fail. */
  void close() {
    registration.lock();
    try {
      closed = true;
    } finally {
      registration.unlock();
    }
    subscriptions.forEach(Subscription::close);
  }

  @Override
  public void tipMoved(Chain.Reorg reorg, ChainView view) {
    if (subscriptions.isEmpty()) {
      return;
    }
    if (!reorg.disconnected().isEmpty()) {
      publish(new NodeEvent.Reorg(reorg.forkHeight(), hashes(reorg.disconnected()), hashes(reorg.connected())));
    }
    for (Hash hash : reorg.connected()) {
      view.header(hash).ifPresent(node -> publish(new NodeEvent.BlockConnected(Header.of(node))));
    }
  }

  @Override
  public void bestHeaderChanged(HeaderNode header) {
    if (!subscriptions.isEmpty()) {
      publish(new NodeEvent.BestHeader(Header.of(header)));
    }
  }

  @Override
  public void peerConnected(PeerHandle peer) {
    if (!subscriptions.isEmpty()) {
      publish(new NodeEvent.PeerConnected(PeerInfo.of(peer)));
    }
  }

  @Override
  public void peerDisconnected(PeerHandle peer) {
    if (!subscriptions.isEmpty()) {
      publish(new NodeEvent.PeerDisconnected(PeerInfo.of(peer)));
    }
  }

  private void publish(NodeEvent event) {
    for (Subscription subscription : subscriptions) {
      subscription.offer(event);
    }
  }

  private static List<BlockHash> hashes(List<Hash> hashes) {
    return hashes.stream().map(BlockHash::of).toList();
  }
}
