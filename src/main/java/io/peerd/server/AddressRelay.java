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
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Address relay with peers whose connection kind relays addresses: it learns the addresses of
 * their addr and addrv2 messages into the {@link AddressBook} (each peer's reader has already
 * rate-limited them), addrv2's other networks included, and answers an inbound peer's first
 * getaddr with at most 23 % of what it knows. A seed node (an addr-fetch connection) is left once
 * it answered with addresses, as Core does. Each learned IPv4 or IPv6 address is also handed
 * to {@code learned} (the persistent peers take one with a peer's IP as another address of that
 * peer), so this class knows nothing of who else uses addresses.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class AddressRelay {
  private final Registry registry;
  private final AddressBook addressBook;
  private final Consumer<InetSocketAddress> learned;

  AddressRelay(Registry registry, AddressBook addressBook, Consumer<InetSocketAddress> learned) {
    this.registry = registry;
    this.addressBook = addressBook;
    this.learned = learned;
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
        case Message.Addr addr -> learn(peer, addr.addresses().stream().map(AddressRelay::toAddressV2).toList());
        case Message.AddrV2 addr -> learn(peer, addr.addresses());
        case Message.GetAddr getaddr when peer.isInbound() && entry.answerGetAddrOnce() -> answerGetAddr(peer);
        default -> { }
      }
    } finally {
      received.done().run();
    }
  }

  private void learn(PeerHandle peer, List<AddressV2> addresses) {
    addressBook.learn(addresses, peer.remoteAddress().getAddress());
    for (AddressV2 address : addresses) {
      toSocketAddress(address).ifPresent(learned);
    }
    if (peer.kind() == ConnectionKind.ADDR_FETCH && addresses.size() > 1) {
      peer.disconnect(DisconnectReason.REQUESTED, "seed node: its addresses came");
    }
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
