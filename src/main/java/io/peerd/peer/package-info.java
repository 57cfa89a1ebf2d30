/**
 * One connected peer: the version/verack handshake and its timeout, ping/pong and idle checks,
 * ban score, serving getheaders/getblocks/getdata from the published chain view, a byte-capped
 * send queue, and the per-peer lifecycle task that alone reports "added" then "done".
 *
 * <p>{@link io.peerd.peer.Peer} owns the threads, what the peer publishes and its close; its
 * parts each own one concern: {@code Handshake} (the version/verack exchange and its checks),
 * {@code Serving} (answers from the chain view, witness stripping, the getblocks continuation),
 * {@code Liveness} (the handshake deadline, ping and idle checks, their timers),
 * {@code MessageReader} (reads and counts frames) and {@code Outbox} (frames into the
 * {@code SendQueue}, drained by the writer).
 *
 * <p>Each peer runs three threads: a reader (handshake, then one message at a time), a writer
 * (drains the send queue) and the lifecycle task. None of them is an actor; they only enqueue
 * into actors through {@link io.peerd.peer.PeerEvents}, and a reader that forwards a message
 * first takes credit from its own budget, which the actor returns when done: a slow actor slows
 * its peers' reading (TCP backpressure) instead of growing a queue.
 */
package io.peerd.peer;
