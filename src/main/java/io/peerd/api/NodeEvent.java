package io.peerd.api;

import java.util.List;

/** Something that happened in a node, as a {@link Subscription} delivers it. */
public sealed interface NodeEvent {
  /** What a subscription may choose to receive; {@link Missed} always comes. */
  enum Kind { BLOCK_CONNECTED, REORG, BEST_HEADER, PEER_CONNECTED, PEER_DISCONNECTED, MISSED }

  Kind kind();

  /**
   * A block joined the best chain. Blocks connect in height order; in a reorg they follow the
   * {@link Reorg} that announced them.
   */
  record BlockConnected(Header header) implements NodeEvent {
    @Override
    public Kind kind() {
      return Kind.BLOCK_CONNECTED;
    }
  }

  /**
   * The best chain switched branches: the blocks above {@code forkHeight} in {@code disconnected}
   * left it, those in {@code connected} joined it (both in height order, each then also reported
   * as a {@link BlockConnected}).
   */
  record Reorg(int forkHeight, List<BlockHash> disconnected, List<BlockHash> connected) implements NodeEvent {
    public Reorg {
      disconnected = List.copyOf(disconnected);
      connected = List.copyOf(connected);
    }

    @Override
    public Kind kind() {
      return Kind.REORG;
    }
  }

  /**
   * A header with more work than any before it: the chain the node now downloads towards.
   * Reported once per batch of headers (or block) the chain processes, so during header sync it
   * moves ahead up to 2,000 headers at a time.
   */
  record BestHeader(Header header) implements NodeEvent {
    @Override
    public Kind kind() {
      return Kind.BEST_HEADER;
    }
  }

  /** A peer completed its handshake. */
  record PeerConnected(PeerInfo peer) implements NodeEvent {
    @Override
    public Kind kind() {
      return Kind.PEER_CONNECTED;
    }
  }

  /** A peer that had connected is gone. */
  record PeerDisconnected(PeerInfo peer) implements NodeEvent {
    @Override
    public Kind kind() {
      return Kind.PEER_DISCONNECTED;
    }
  }

  /**
   * {@code count} events were dropped here because this subscription's queue was full: the
   * subscriber was slower than the node. Re-read what matters from the node (its height, best
   * hash) instead of relying on the events around the gap.
   */
  record Missed(long count) implements NodeEvent {
    @Override
    public Kind kind() {
      return Kind.MISSED;
    }
  }
}
