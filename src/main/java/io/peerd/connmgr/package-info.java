/**
 * Connection workers: one actor per persistent peer (--connect, --addnode, RPC addnode) that
 * alone owns the peer's addresses, backoff and current dial (seed 002). The server grants every
 * dial before it starts, so "never dial what is connected or being dialed" and the
 * simultaneous-dial tie-break are decided in one place (seed 003).
 */
package io.peerd.connmgr;
