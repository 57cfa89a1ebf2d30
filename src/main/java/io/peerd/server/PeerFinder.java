package io.peerd.server;

import io.peerd.addrman.KnownAddress;
import io.peerd.discovery.SeedLookup;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.Services;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the server finds peers and remembers them: the {@link AddressBook}'s load and periodic
 * save, what it learns from each outbound connection (handshake done, connection ended), the DNS
 * seeds, asked once when the book is empty at start or when after {@link #SEED_DELAY_MILLIS} fewer
 * than two outbound peers answered (as Core), the fixed seeds when the book is still empty after
 * {@link #FIXED_SEED_DELAY_MILLIS} or nothing else could fill it, and an INFO line with a hint while
 * no peer is connected. Seed answers come back through the server's mailbox ({@link #seedAnswered}).
 *
 * <p>Part of the server actor, not an actor itself: only the server thread calls it.
 */
final class PeerFinder {
  /** The server's log: these are the server's decisions. */
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  /** Core waits this long for the known addresses to work before asking the DNS seeds. */
  static final long SEED_DELAY_MILLIS = 11_000;
  /** Core gives DNS seeds, seed nodes and added peers this long to fill the book before the fixed seeds. */
  static final long FIXED_SEED_DELAY_MILLIS = 60_000;
  /** The source fixed seeds are filed under, as Core's: no peer told us, we did. */
  private static final InetAddress FIXED_SEED_SOURCE = allOnes();
  /** With no peer, a hint at INFO this often. */
  static final long NO_PEERS_HINT_PERIOD_MILLIS = 60_000;
  /** Services a DNS seed's nodes are assumed to have until they say otherwise. */
  static final long SEED_SERVICES = Services.NODE_NETWORK | Services.NODE_WITNESS;

  private final ServerConfig config;
  private final AddressBook addressBook;
  private final SeedLookup seeds;
  private final SeedLookup.Results seedResults;
  private final IntSupplier activePeers;
  private final IntSupplier outboundFullPeers;
  private final LongSupplier clockMillis;
  private final long startMillis;
  private boolean seedsAsked;
  private boolean fixedSeedsAdded;
  private long lastHintMillis;

  PeerFinder(ServerConfig config, AddressBook addressBook, SeedLookup seeds, SeedLookup.Results seedResults,
      IntSupplier activePeers, IntSupplier outboundFullPeers, LongSupplier clockMillis) {
    this.config = config;
    this.addressBook = addressBook;
    this.seeds = seeds;
    this.seedResults = seedResults;
    this.activePeers = activePeers;
    this.outboundFullPeers = outboundFullPeers;
    this.clockMillis = clockMillis;
    this.startMillis = clockMillis.getAsLong();
    this.lastHintMillis = startMillis;
  }

  void start() {
    addressBook.load();
  }

  void stop() {
    addressBook.save();
  }

  /** On the server's tick: save when due, ask the seeds when needed, hint when alone. */
  void tick() {
    long now = clockMillis.getAsLong();
    addressBook.saveIfDue();
    if (!config.connectOnly() && !seedsAsked && !config.discovery().dnsSeeds().isEmpty()
        && (addressBook.size() == 0 || (now - startMillis >= SEED_DELAY_MILLIS && outboundFullPeers.getAsInt() < 2))) {
      seedsAsked = true;
      log.info("asking {} DNS seeds for peers ({} addresses known)", config.discovery().dnsSeeds().size(),
          addressBook.size());
      seeds.lookUp(config.discovery().dnsSeeds(), seedResults);
    }
    addFixedSeedsIfDue(now);
    if (activePeers.getAsInt() == 0 && now - lastHintMillis >= NO_PEERS_HINT_PERIOD_MILLIS) {
      lastHintMillis = now;
      log.info("no peer connected for {} s: {} addresses known{}; name one with --addnode HOST or --connect HOST, "
          + "and check this machine reaches the network", (now - startMillis) / 1000, addressBook.size(),
          config.connectOnly() ? " (--connect: only the named peers are dialed)"
              : config.discovery().dnsSeeds().isEmpty() ? ", no DNS seeds" : "");
    }
  }

  /** Core's rule: only into an empty book, at once if no other source exists, else after a minute. */
  private void addFixedSeedsIfDue(long now) {
    ServerConfig.Discovery discovery = config.discovery();
    if (config.connectOnly() || fixedSeedsAdded || discovery.fixedSeeds().isEmpty() || addressBook.size() > 0) {
      return;
    }
    boolean otherSources = !discovery.dnsSeeds().isEmpty() || !discovery.seedNodes().isEmpty()
        || !config.persistentPeers().isEmpty();
    if (otherSources && now - startMillis < FIXED_SEED_DELAY_MILLIS) {
      return;
    }
    fixedSeedsAdded = true;
    int added = addressBook.learnDirectly(discovery.fixedSeeds(), FIXED_SEED_SOURCE, SEED_SERVICES);
    log.info("address book empty {}: added {} of {} fixed seeds", otherSources ? "after 60 s" : "and no other source",
        added, discovery.fixedSeeds().size());
  }

  /** A DNS seed's answer: its addresses join the book as told directly. */
  void seedAnswered(String seed, List<InetSocketAddress> addresses) {
    if (!addresses.isEmpty()) {
      int added = addressBook.learnDirectly(addresses, addresses.getFirst().getAddress(), SEED_SERVICES);
      log.info("DNS seed {}: {} new addresses", seed, added);
    }
  }

  /** A feeler reached a node that sent its version: the address works. */
  void feelerAnswered(Registry.Entry entry, long services) {
    addressBook.handshaked(entry.identity(), services);
  }

  void connectionActive(Registry.Entry entry) {
    if (isAutomatic(entry.kind()) && entry.identity() != null) {
      addressBook.handshaked(entry.identity(), entry.peer().services());
    }
  }

  void connectionEnded(Registry.Entry entry) {
    if (isAutomatic(entry.kind()) && entry.active() && entry.identity() != null) {
      addressBook.disconnected(entry.identity());
    }
  }

  /** RPC getnodeaddresses: up to {@code count} known addresses, 0 for all. */
  List<KnownAddress> nodeAddresses(int count) {
    return addressBook.known(count == 0 ? Integer.MAX_VALUE : count);
  }

  /** RPC addpeeraddress: true if the address was new (and, if asked, moved to tried). */
  boolean addPeerAddress(InetSocketAddress address, boolean tried) {
    boolean added = addressBook.learnDirectly(List.of(address), address.getAddress(), SEED_SERVICES) > 0;
    if (added && tried) {
      addressBook.handshaked(address, SEED_SERVICES);
    }
    return added;
  }

  private static InetAddress allOnes() {
    try {
      return InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are an IPv4 address", e);
    }
  }

  private static boolean isAutomatic(ConnectionKind kind) {
    return kind == ConnectionKind.OUTBOUND_FULL || kind == ConnectionKind.OUTBOUND_BLOCK_RELAY;
  }
}
