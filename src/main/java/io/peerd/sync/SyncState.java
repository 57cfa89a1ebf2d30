package io.peerd.sync;

import java.util.List;
import java.util.Map;

/**
 * The sync manager's view as last published by its thread, for RPC and tests.
 *
 * @param syncPeerId the sync peer's id, -1 for none
 * @param peerIds every added peer, in the order they were added
 * @param peers what sync knows of each added peer, by id
 * @param behindWithNothingAsked a full peer showed a valid block with more work than our tip,
 *     yet no header or block request is out and nothing waits at the chain: seed 000's stuck
 *     sync, which the watchdog reports if it lasts
 */
public record SyncState(long syncPeerId, List<Long> peerIds, int blocksInFlight, int blocksAtChain,
    Map<Long, PeerSync> peers, boolean behindWithNothingAsked) {
  static final SyncState EMPTY = new SyncState(-1, List.of(), 0, 0, Map.of(), false);

  /**
   * One peer as getpeerinfo shows it.
   *
   * @param syncedHeaders the best height the peer is known to have
   * @param syncedBlocks the last block height we share with it (assumed on our chain)
   * @param inflightHeights the heights of the blocks requested from it, in request order
   */
  public record PeerSync(int syncedHeaders, int syncedBlocks, List<Integer> inflightHeights) {}
}
