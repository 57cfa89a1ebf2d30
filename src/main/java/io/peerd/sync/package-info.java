/**
 * The sync manager actor: picks the sync peer (one that has more than we do, outbound first) and
 * replaces it the moment it leaves or stalls, downloads headers first from it, then blocks in
 * parallel from every full peer, each toward its own best known block inside a moving window,
 * drops a peer that holds a window back, and fetches what peers announce. It learns
 * about peers only through "added" and "done" from the server, in order, and about the chain
 * from the published {@link io.peerd.chain.ChainView} and the chain actor's replies.
 *
 * <p>{@link io.peerd.sync.SyncManager} is the actor: the server calls it through
 * {@link io.peerd.sync.SyncInput}, others read the {@link io.peerd.sync.SyncState} it publishes.
 * {@code SyncPeer}, {@code HeaderSync}, {@code SyncPeerChoice}, {@code BlockDownload} and
 * {@code SyncProgress} are plain parts of its state that only its thread calls.
 */
package io.peerd.sync;
