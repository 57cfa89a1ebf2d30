/**
 * The server actor: admits and registers peers (limits, discouragement, duplicate and
 * simultaneous connections, self-connections), forwards each peer's "added" and "done" to the
 * sync manager in order, keeps a simple address book, dials outbound peers, owns the connection
 * workers of persistent peers, and announces new tips.
 *
 * <p>{@link io.peerd.server.Server} is the one actor: its thread reads its mailbox, admits
 * connections, starts and ends peers, and shuts them down. The rest are plain classes it alone
 * calls from that thread, each owning one part of its state: {@code Registry} (connections, dials,
 * the one-connection rule), {@code Discouragement}, {@code DialPolicy} (what may be dialed),
 * {@code PersistentPeers} (the workers and their dials), {@code OutboundSlots} (the server's own
 * one-shot dials, picked from the {@code AddressBook}), {@code AddressRelay} (fills that book and
 * answers getaddr) and {@code TipAnnouncer}.
 * Other threads read only what the server publishes in {@link io.peerd.server.ServerState}.
 */
package io.peerd.server;
