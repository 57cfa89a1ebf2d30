package io.peerd.peer;

import io.peerd.wire.Message;

/**
 * A message a peer forwarded to an actor. It holds part of the peer's inbound budget until the
 * actor calls {@link #done} (exactly once, also when discarding it). {@code payload} is the raw
 * payload: a block is stored exactly as received.
 */
public record Received(PeerHandle peer, Message message, byte[] payload, Runnable done) {}
