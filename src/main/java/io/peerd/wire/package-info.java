/**
 * The Bitcoin wire format: byte readers and writers, hashes, headers, transactions, blocks, the
 * 24-byte message frame and every P2P message peerd speaks. Decoders are bounded by their input
 * and by per-message caps, and fail only with a {@link io.peerd.wire.WireException}. This
 * package owns bytes; it knows nothing of networks' rules, peers or storage.
 */
package io.peerd.wire;
