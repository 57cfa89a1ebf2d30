package io.peerd.chain;

import io.peerd.wire.Hash;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How far blocks from P2P peers may take the chain. Anywhere, outside HA production. In an HA
 * group a block enters the chain only once Raft committed it, so peers' blocks are taken only up
 * to a committed block a snapshot named (a member catching up past the compacted log) and not at
 * all otherwise: a block mined outside the group (regtest blocks cost nothing) never forks a
 * member off the log. Set by the HA member's state machine; read by the chain and sync threads.
 */
public final class PeerBlockLimit {
  private final boolean committedOnly;
  private final AtomicReference<Hash> ceiling = new AtomicReference<>();

  private PeerBlockLimit(boolean committedOnly) {
    this.committedOnly = committedOnly;
  }

  /** Peers' blocks go anywhere their work takes them. */
  public static PeerBlockLimit none() {
    return new PeerBlockLimit(false);
  }

  /** Peers' blocks only up to a committed block named by {@link #allowUpTo}. */
  public static PeerBlockLimit committedOnly() {
    return new PeerBlockLimit(true);
  }

  /** Peers may bring the chain up to {@code committed} (a snapshot's tip), and no further. */
  public void allowUpTo(Hash committed) {
    ceiling.set(committed);
  }

  /** Peers' blocks are no longer taken (the snapshot's tip is on the chain). */
  public void close() {
    ceiling.set(null);
  }

  /** True if this block, from a peer, may enter the chain: in HA production, its header leads to the ceiling. */
  public boolean allows(Hash block, ChainView view) {
    if (!committedOnly) {
      return true;
    }
    Optional<HeaderNode> node = view.header(block);
    return node.isPresent() && ceilingNode(view).filter(top -> node.get().isAncestorOf(top)).isPresent();
  }

  /** What a peer offering {@code target} may be asked for: all of it, the part up to the ceiling, or nothing (null). */
  public HeaderNode cap(HeaderNode target, ChainView view) {
    if (!committedOnly || target == null) {
      return target;
    }
    HeaderNode top = ceilingNode(view).orElse(null);
    if (top == null) {
      return null;
    }
    if (top.isAncestorOf(target)) {
      return top;
    }
    return target.isAncestorOf(top) ? target : null;
  }

  private Optional<HeaderNode> ceilingNode(ChainView view) {
    return Optional.ofNullable(ceiling.get()).flatMap(view::header);
  }
}
