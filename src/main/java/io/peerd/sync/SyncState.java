package io.peerd.sync;

import java.util.List;

/**
 * The sync manager's view as last published by its thread, for RPC and tests.
 *
 * @param syncPeerId the sync peer's id, -1 for none
 * @param peerIds every added peer, in the order they were added
 */
public record SyncState(long syncPeerId, List<Long> peerIds, int blocksInFlight, int blocksAtChain) {
  static final SyncState EMPTY = new SyncState(-1, List.of(), 0, 0);
}
