package io.peerd.server;

import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.wire.AddressV2;
import io.peerd.wire.Message;
import io.peerd.wire.NetworkAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Address relay with peers whose connection kind relays addresses: it learns the addresses of
 * their addr and addrv2 messages into the {@link AddressBook} (each peer's reader has already
 * rate-limited them), addrv2's other networks included, and answers an inbound peer's first
 * getaddr with at most 23 % of what it knows. A seed node (an addr-fetch connection) is left once
 * it answered with addresses, as Core does. As Core, a small addr message (at most
 * {@value #MAX_RELAYED_PER_MESSAGE} addresses, not a getaddr answer) passes on its fresh addresses
 * (seen in the last {@value #RELAY_FRESH_SECONDS} s): each to {@value #RELAY_TARGETS} address-relaying
 * peers chosen by a keyed hash of the address and the day (so repeats go the same way), never to
 * a peer that sent it or already got it from us. Each learned IPv4 or IPv6 address is also handed
 * to {@code learned} (the persistent peers take one with a peer's IP as another address of that
 * peer), so this class knows nothing of who else uses addresses.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class AddressRelay {
  static final int MAX_RELAYED_PER_MESSAGE = 10;
  static final long RELAY_FRESH_SECONDS = 10 * 60;
  static final int RELAY_TARGETS = 2;
  private static final long DAY_SECONDS = 24 * 60 * 60;

  private final Registry registry;
  private final AddressBook addressBook;
  private final Consumer<InetSocketAddress> learned;
  private final LongSupplier clockMillis;
  private final long relayKey;

  AddressRelay(Registry registry, AddressBook addressBook, Consumer<InetSocketAddress> learned,
      LongSupplier clockMillis, long relayKey) {
    this.registry = registry;
    this.addressBook = addressBook;
    this.learned = learned;
    this.clockMillis = clockMillis;
    this.relayKey = relayKey;
  }

  /** Handles an addr, addrv2 or getaddr message, and gives the peer's inbound budget back. */
  void handle(Received received) {
    try {
      PeerHandle peer = received.peer();
      Registry.Entry entry = registry.get(peer.id());
      if (entry == null || !entry.kind().relaysAddresses()) {
        return;
      }
      switch (received.message()) {
        case Message.Addr addr ->
            learn(entry, addr.addresses().stream().map(AddressRelay::toAddressV2).toList());
        case Message.AddrV2 addr -> learn(entry, addr.addresses());
        case Message.GetAddr getaddr when peer.isInbound() && entry.answerGetAddrOnce() -> answerGetAddr(peer);
        default -> { }
      }
    } finally {
      received.done().run();
    }
  }

  private void learn(Registry.Entry source, List<AddressV2> addresses) {
    PeerHandle peer = source.peer();
    addressBook.learn(addresses, peer.remoteAddress().getAddress());
    List<InetSocketAddress> sockets = addresses.stream().flatMap(a -> toSocketAddress(a).stream()).toList();
    sockets.forEach(source::learnsAddress);
    sockets.forEach(learned);
    if (peer.kind() == ConnectionKind.ADDR_FETCH && addresses.size() > 1) {
      peer.disconnect(DisconnectReason.REQUESTED, "seed node: its addresses came");
    } else if (addresses.size() <= MAX_RELAYED_PER_MESSAGE) {
      relay(addresses, source);
    }
  }

  /** As Core: per address, the sender aside, the same two peers all day; those that know it already get nothing. */
  private void relay(List<AddressV2> addresses, Registry.Entry source) {
    long nowSeconds = clockMillis.getAsLong() / 1000;
    Map<Registry.Entry, List<Message.TimedAddress>> outgoing = new HashMap<>();
    for (AddressV2 address : addresses) {
      Optional<InetSocketAddress> socket = toSocketAddress(address);
      if (socket.isEmpty() || address.timeSeconds() < nowSeconds - RELAY_FRESH_SECONDS
          || !addressBook.accepts(address)) {
        continue;
      }
      long day = nowSeconds / DAY_SECONDS;
      List<Registry.Entry> targets = registry.entries().stream()
          .filter(e -> e != source && e.active() && e.kind().relaysAddresses() && e.kind() != ConnectionKind.ADDR_FETCH)
          .sorted(Comparator.comparingLong(e -> relayOrder(socket.get(), day, e.peer().id())))
          .limit(RELAY_TARGETS)
          .toList();
      for (Registry.Entry target : targets) {
        if (target.learnsAddress(socket.get())) { // false: it sent us this address, or we relayed it there
          outgoing.computeIfAbsent(target, t -> new ArrayList<>()).add(
              new Message.TimedAddress(address.timeSeconds(), NetworkAddress.of(socket.get(), address.services())));
        }
      }
    }
    outgoing.forEach((target, relayed) -> target.peer().send(new Message.Addr(relayed)));
  }

  /** A keyed hash of address, day and peer: the same address goes to the same peers all day. */
  private long relayOrder(InetSocketAddress address, long day, long peerId) {
    long hash = relayKey ^ (day * 0x9E3779B97F4A7C15L) ^ (peerId * 0xC2B2AE3D27D4EB4FL);
    hash ^= address.hashCode() * 0x165667B19E3779F9L;
    hash ^= hash >>> 31;
    hash *= 0xBF58476D1CE4E5B9L;
    return hash ^ (hash >>> 29);
  }

  /** A legacy addr entry as BIP155 writes it: its 16 bytes as IPv6 (an IPv4-mapped one reads as IPv4). */
  private static AddressV2 toAddressV2(Message.TimedAddress timed) {
    NetworkAddress address = timed.address();
    return new AddressV2(timed.timeSeconds(), address.services(), AddressV2.NETWORK_IPV6, address.ip16(),
        address.port());
  }

  private static Optional<InetSocketAddress> toSocketAddress(AddressV2 address) {
    if (address.networkId() != AddressV2.NETWORK_IPV4 && address.networkId() != AddressV2.NETWORK_IPV6) {
      return Optional.empty(); // Tor, I2P, CJDNS: peerd does not dial those
    }
    try {
      return Optional.of(new InetSocketAddress(InetAddress.getByAddress(address.address()), address.port()));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private void answerGetAddr(PeerHandle peer) {
    List<Message.TimedAddress> entries = addressBook.sample().stream()
        .flatMap(known -> known.address().toSocketAddress()
            .map(socket -> new Message.TimedAddress(known.timeSeconds(), NetworkAddress.of(socket, known.services())))
            .stream())
        .toList();
    if (!entries.isEmpty()) {
      peer.send(new Message.Addr(entries));
    }
  }
}
