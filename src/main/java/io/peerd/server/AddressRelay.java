package io.peerd.server;

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
 * Address relay with peers whose connection kind relays addresses: it learns the IPv4 and IPv6
 * addresses of their addr and addrv2 messages into the {@link AddressBook}, and answers an inbound
 * peer's first getaddr with a sample of it. Each learned address is also handed to
 * {@code learned} (the persistent peers take one with a peer's IP as another address of that
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
        case Message.Addr addr -> addr.addresses().forEach(a -> learn(a.address().toSocketAddress(), a.timeSeconds()));
        case Message.AddrV2 addr -> addr.addresses().forEach(a -> toSocketAddress(a).ifPresent(s -> learn(s, a.timeSeconds())));
        case Message.GetAddr getaddr when peer.isInbound() && entry.answerGetAddrOnce() -> answerGetAddr(peer);
        default -> { }
      }
    } finally {
      received.done().run();
    }
  }

  private void learn(InetSocketAddress address, long seenSeconds) {
    addressBook.add(address, seenSeconds);
    learned.accept(address);
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
    List<Message.TimedAddress> entries = addressBook.sample(Message.MAX_ADDRESSES).stream()
        .map(e -> new Message.TimedAddress(e.getValue(), NetworkAddress.of(e.getKey(), 0)))
        .toList();
    if (!entries.isEmpty()) {
      peer.send(new Message.Addr(entries));
    }
  }
}
