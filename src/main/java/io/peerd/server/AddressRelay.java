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
 * addresses of their addr and addrv2 messages into the {@link AddressBook} (each peer's reader has
 * already rate-limited them), and answers an inbound peer's first getaddr with a sample of at
 * most 23 % of it. Each learned address is also handed to
 * {@code learned} (the persistent peers take one with a peer's IP as another address of that
 * peer), so this class knows nothing of who else uses addresses.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class AddressRelay {
  /** Core's MAX_PCT_ADDR_TO_SEND: one getaddr answer reveals at most this share of the address book. */
  static final int MAX_GETADDR_PERCENT = 23;
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

  /** As Core: at most {@value #MAX_GETADDR_PERCENT} % of what we know, and at most 1,000. */
  private void answerGetAddr(PeerHandle peer) {
    int max = Math.min(Message.MAX_ADDRESSES, addressBook.size() * MAX_GETADDR_PERCENT / 100);
    List<Message.TimedAddress> entries = addressBook.sample(max).stream()
        .map(e -> new Message.TimedAddress(e.getValue(), NetworkAddress.of(e.getKey(), 0)))
        .toList();
    if (!entries.isEmpty()) {
      peer.send(new Message.Addr(entries));
    }
  }
}
