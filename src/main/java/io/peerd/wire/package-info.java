/**
 * The Bitcoin wire format: byte readers and writers, hashes, headers, transactions, blocks, the
 * 24-byte message frame and every P2P message peerd speaks. Decoders are bounded by their input
 * and by per-message caps, and fail only with a {@link io.peerd.wire.WireException}. This
 * package owns bytes; it knows nothing of networks' rules, peers or storage (a network's magic
 * is passed in as an int).
 *
 * <p>Messages travel in three layers, each its own class:
 * <ul>
 *   <li>{@link io.peerd.wire.FrameHeader}: framing only (magic, command, length cap, checksum);
 *   <li>{@link io.peerd.wire.Message}: one record per message type, each reading and writing
 *       its own payload, with the per-type caps as constants;
 *   <li>{@link io.peerd.wire.MessageCodec}: the entry point that ties them together: frame to
 *       message and back, from a byte array or a blocking stream.
 * </ul>
 * Address and inventory entries inside messages are small value types:
 * {@link io.peerd.wire.NetworkAddress} (legacy), {@link io.peerd.wire.AddressV2} (BIP155) and
 * {@link io.peerd.wire.InventoryItem}.
 */
package io.peerd.wire;
