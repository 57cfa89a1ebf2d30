/**
 * The server actor: admits and registers peers (limits, discouragement, duplicate and
 * simultaneous connections, self-connections), forwards each peer's "added" and "done" to the
 * sync manager in order, keeps a simple address book, dials outbound peers, owns the connection
 * workers of persistent peers, and announces new tips.
 */
package io.peerd.server;
