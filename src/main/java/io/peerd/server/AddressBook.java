package io.peerd.server;

import io.peerd.addrman.AddressFile;
import io.peerd.addrman.AddressFileException;
import io.peerd.addrman.AddressManager;
import io.peerd.addrman.Host;
import io.peerd.addrman.KnownAddress;
import io.peerd.addrman.Network;
import io.peerd.addrman.NetworkGroup;
import io.peerd.addrman.PeerAddress;
import io.peerd.addrman.RoutingPolicy;
import io.peerd.wire.AddressV2;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's use of the {@link AddressManager}: it loads the address file at start and saves
 * it every {@link #SAVE_PERIOD_MILLIS} and at stop; learns gossiped addresses (times from the
 * future or the distant past are set to five days ago, and a gossiped address counts two hours
 * older than claimed, as in Core); picks addresses to dial, at most one outbound connection per
 * network group; and records each dial's attempt, success and end.
 *
 * <p>On regtest (the permissive policy) an IPv4 address's group is its /16 even when it is local
 * or private, so a test network on 127.x.y.z addresses has groups to spread over; on the public
 * networks local addresses are never accepted anyway. A regtest node never dials a public
 * address, even one it was told about.
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class AddressBook {
  /** The server's log: these are the server's decisions. */
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  static final long SAVE_PERIOD_MILLIS = 15 * 60 * 1000;
  static final long GOSSIP_PENALTY_SECONDS = 2 * 60 * 60;
  /** Core's rule for implausible gossiped times: treat the address as seen five days ago. */
  static final long IMPLAUSIBLE_TIME_AGE_SECONDS = 5 * 24 * 60 * 60;
  static final long MAX_FUTURE_SECONDS = 10 * 60;
  /** Draws from the address manager per outbound slot to fill, as Core's 100 tries. */
  static final int MAX_PICK_DRAWS = 100;

  private final Path file;
  private final RoutingPolicy policy;
  private final Random random;
  private final LongSupplier clockMillis;
  /** Made at first use (or load): a server that never learns an address never builds the tables. */
  private AddressManager manager;
  private long savedAtMillis;

  AddressBook(Path file, RoutingPolicy policy, Random random, LongSupplier clockMillis) {
    this.file = file;
    this.policy = policy;
    this.random = random;
    this.clockMillis = clockMillis;
    this.savedAtMillis = clockMillis.getAsLong();
  }

  private AddressManager manager() {
    if (manager == null) {
      byte[] key = new byte[AddressManager.KEY_BYTES];
      random.nextBytes(key);
      manager = AddressManager.create(policy, key, random, this::nowSeconds);
    }
    return manager;
  }

  /** Takes back the saved addresses; a damaged file is logged and the node starts with none. */
  void load() {
    if (file == null) {
      return;
    }
    try {
      manager = AddressFile.load(file, policy, random, this::nowSeconds);
      log.info("{} known peer addresses loaded", manager.size());
    } catch (NoSuchFileException e) {
      log.debug("no address file yet: {}", file);
    } catch (IOException | AddressFileException e) {
      log.warn("address file not loaded, starting without known addresses: {}", e.getMessage());
    }
  }

  void saveIfDue() {
    if (clockMillis.getAsLong() - savedAtMillis >= SAVE_PERIOD_MILLIS) {
      save();
    }
  }

  void save() {
    savedAtMillis = clockMillis.getAsLong();
    if (file == null || manager == null) {
      return; // nothing learned, nothing loaded: nothing to keep
    }
    try {
      AddressFile.save(file, manager);
    } catch (IOException e) {
      log.warn("address file not saved: {}", e.getMessage());
    }
  }

  /** Addresses a peer gossiped; how many were new to us. */
  int learn(List<AddressV2> gossiped, InetAddress source) {
    long now = nowSeconds();
    List<AddressV2> plausible = gossiped.stream().map(a -> withPlausibleTime(a, now)).toList();
    return manager().add(plausible, Host.of(source), GOSSIP_PENALTY_SECONDS);
  }

  /** Addresses we were told of directly (a DNS seed, the operator): no penalty. */
  int learnDirectly(List<InetSocketAddress> addresses, InetAddress source, long services) {
    long now = nowSeconds();
    List<AddressV2> entries = addresses.stream().map(a -> toWire(a, now, services)).toList();
    return manager().add(entries, Host.of(source), 0);
  }

  /** What a getaddr answer may show: at most 1,000 and 23 % of what we know, dialable networks only. */
  List<KnownAddress> sample() {
    return manager().addresses(AddressManager.GETADDR_MAX_ADDRESSES, AddressManager.GETADDR_MAX_PERCENT,
        Network.REACHABLE);
  }

  /** Up to {@code max} known addresses of any network, in random order, none terrible: for the operator. */
  List<KnownAddress> known(int max) {
    return manager().addresses(max, 100, Network.ALL);
  }

  /** An address to dial that {@code usable} accepts and whose group is not in {@code taken}. */
  Optional<InetSocketAddress> pick(Predicate<InetSocketAddress> usable, Set<NetworkGroup> taken) {
    for (int draw = 0; draw < MAX_PICK_DRAWS; draw++) {
      Optional<InetSocketAddress> candidate = manager().select(false, Network.REACHABLE)
          .flatMap(known -> known.address().toSocketAddress());
      if (candidate.isEmpty()) {
        return Optional.empty();
      }
      InetSocketAddress address = candidate.get();
      if (mayDial(address) && !taken.contains(groupOf(address.getAddress())) && usable.test(address)) {
        return candidate;
      }
    }
    return Optional.empty();
  }

  /**
   * What a feeler should test: the old entry of a tried collision if one waits, else an address
   * from the new table; one {@code usable} accepts.
   */
  Optional<InetSocketAddress> feelerCandidate(Predicate<InetSocketAddress> usable) {
    manager().resolveCollisions();
    Optional<InetSocketAddress> collision = manager().selectTriedCollision()
        .flatMap(known -> known.address().toSocketAddress()).filter(a -> mayDial(a) && usable.test(a));
    if (collision.isPresent()) {
      return collision;
    }
    for (int draw = 0; draw < MAX_PICK_DRAWS; draw++) {
      Optional<InetSocketAddress> candidate = manager().select(true, Network.REACHABLE)
          .flatMap(known -> known.address().toSocketAddress());
      if (candidate.isEmpty() || (mayDial(candidate.get()) && usable.test(candidate.get()))) {
        return candidate;
      }
    }
    return Optional.empty();
  }

  /** Whether the book would keep {@code address}: what it refuses is not relayed either. */
  boolean accepts(AddressV2 address) {
    return PeerAddress.fromWire(address).filter(policy::accepts).isPresent();
  }

  /**
   * A node on regtest (the permissive policy) dials only local and private addresses, whatever
   * gossip told it: a test network must never reach out of its machine or LAN.
   */
  private boolean mayDial(InetSocketAddress address) {
    return policy == RoutingPolicy.STRICT || !Host.of(address.getAddress()).isRoutable();
  }

  NetworkGroup groupOf(InetAddress ip) {
    if (policy == RoutingPolicy.PERMISSIVE && ip instanceof Inet4Address) {
      byte[] bytes = ip.getAddress();
      return new NetworkGroup(new byte[] {(byte) Network.IPV4.bip155Id(), bytes[0], bytes[1]});
    }
    return NetworkGroup.of(Host.of(ip));
  }

  void attempted(InetSocketAddress address) {
    manager().attempt(PeerAddress.of(address), true);
  }

  void handshaked(InetSocketAddress address, long services) {
    manager().good(PeerAddress.of(address));
    manager().setServices(PeerAddress.of(address), services);
  }

  void disconnected(InetSocketAddress address) {
    manager().connected(PeerAddress.of(address));
  }

  int size() {
    return manager().size();
  }

  private long nowSeconds() {
    return clockMillis.getAsLong() / 1000;
  }

  private static AddressV2 withPlausibleTime(AddressV2 address, long nowSeconds) {
    long time = address.timeSeconds();
    if (time > 100_000_000 && time <= nowSeconds + MAX_FUTURE_SECONDS) {
      return address;
    }
    return new AddressV2(nowSeconds - IMPLAUSIBLE_TIME_AGE_SECONDS, address.services(), address.networkId(),
        address.address(), address.port());
  }

  static AddressV2 toWire(InetSocketAddress address, long timeSeconds, long services) {
    Host host = Host.of(address.getAddress());
    return new AddressV2(timeSeconds, services, host.network().bip155Id(), host.bytes(), address.getPort());
  }
}
