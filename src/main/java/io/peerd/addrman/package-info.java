/**
 * The address manager: the addresses of peers we may connect to, after Bitcoin Core's
 * {@code addrman}. It owns which addresses are known, where each came from, which ones we reached,
 * which to dial next and which to share, and their file; it owns no socket, timer or thread.
 *
 * <ul>
 *   <li>{@link io.peerd.addrman.AddressManager}: the tables and their rules (add, good, attempt,
 *       select, getaddr, tried collisions). Single-threaded: the server actor's thread owns it.
 *   <li>{@link io.peerd.addrman.PeerAddress}, {@link io.peerd.addrman.Host},
 *       {@link io.peerd.addrman.Network}: an address's identity on the BIP155 networks, which are
 *       all kept though peerd dials only IPv4 and IPv6 ({@code isReachable}).
 *   <li>{@link io.peerd.addrman.NetworkGroup}: Core's network groups, also for the server's
 *       outbound diversity and eviction.
 *   <li>{@link io.peerd.addrman.RoutingPolicy}: publicly routable addresses only, or (regtest)
 *       private and loopback ones too.
 *   <li>{@link io.peerd.addrman.AddressFile}: atomic save and checked load.
 * </ul>
 * Every collection is bounded by the fixed table sizes (1,024 new and 256 tried buckets of 64
 * slots), never by input.
 */
package io.peerd.addrman;
