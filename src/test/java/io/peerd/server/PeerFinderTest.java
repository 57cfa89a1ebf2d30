package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.peerd.addrman.RoutingPolicy;
import io.peerd.discovery.SeedLookup;
import io.peerd.testing.LogGate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the server asks the DNS seeds, and what it tells an operator whose node has no peer. */
class PeerFinderTest {
  private static final List<String> SEEDS = List.of("seed.example");
  private static final List<InetSocketAddress> FIXED_SEEDS = List.of(
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 18444), new InetSocketAddress("127.8.0.1", 18444));
  private final AtomicLong clockMillis = new AtomicLong(1_000_000);
  private final AtomicInteger activePeers = new AtomicInteger();
  private final AtomicInteger outboundFull = new AtomicInteger();
  private final List<String> lookedUp = new CopyOnWriteArrayList<>();
  private final AddressBook book = new AddressBook(null, RoutingPolicy.PERMISSIVE, new Random(3), clockMillis::get);

  private PeerFinder finder(boolean connectOnly, List<String> seeds) {
    return finder(ServerConfig.defaults(null, List.of(), connectOnly)
        .withDiscovery(ServerConfig.Discovery.NONE.withDnsSeeds(seeds)));
  }

  private PeerFinder finder(ServerConfig config) {
    return finder(config, book);
  }

  private PeerFinder finder(ServerConfig config, AddressBook addressBook) {
    SeedLookup lookup = new SeedLookup(host -> {
      lookedUp.add(host);
      return List.of();
    }, 8333, Thread.ofVirtual().factory());
    return new PeerFinder(config, addressBook, lookup, (seed, addresses) -> { }, activePeers::get, outboundFull::get,
        clockMillis::get);
  }

  @Test
  void anEmptyBookAsksTheSeedsAtTheFirstTickAndOnlyOnce() throws Exception {
    PeerFinder finder = finder(false, SEEDS);
    finder.tick();
    finder.tick();
    org.awaitility.Awaitility.await().until(() -> lookedUp.size() == 1);
    Thread.sleep(50);
    assertThat(lookedUp).containsExactly("seed.example");
  }

  @Test
  void withKnownAddressesTheSeedsWaitElevenSecondsAndOnlyIfFewOutboundPeersAnswered() throws Exception {
    book.learnDirectly(List.of(new InetSocketAddress(InetAddress.getByName("127.1.0.1"), 18444)),
        InetAddress.getLoopbackAddress(), 1);
    PeerFinder finder = finder(false, SEEDS);
    finder.tick();
    clockMillis.addAndGet(PeerFinder.SEED_DELAY_MILLIS);
    outboundFull.set(2);
    finder.tick();
    assertThat(lookedUp).isEmpty();

    outboundFull.set(1);
    finder.tick();
    org.awaitility.Awaitility.await().until(() -> lookedUp.size() == 1);
  }

  @Test
  void withConnectOnlyTheSeedsAreNeverAsked() throws Exception {
    PeerFinder finder = finder(true, SEEDS);
    clockMillis.addAndGet(PeerFinder.SEED_DELAY_MILLIS);
    finder.tick();
    Thread.sleep(50);
    assertThat(lookedUp).isEmpty();
  }

  @Test
  void withNoOtherSourceTheFixedSeedsFillAnEmptyBookAtTheFirstTick() throws Exception {
    PeerFinder finder = finder(withFixedSeeds(List.of(), List.of()));

    finder.tick();

    assertThat(book.size()).isEqualTo(FIXED_SEEDS.size());
  }

  @Test
  void withDnsSeedsOrAddedPeersTheFixedSeedsWaitAMinuteForThemToFillTheBook() throws Exception {
    for (ServerConfig config : List.of(withFixedSeeds(SEEDS, List.of()),
        withFixedSeeds(List.of(), List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 18444))))) {
      AddressBook emptyBook = new AddressBook(null, RoutingPolicy.PERMISSIVE, new Random(3), clockMillis::get);
      PeerFinder finder = finder(config, emptyBook);
      clockMillis.addAndGet(PeerFinder.FIXED_SEED_DELAY_MILLIS - 1);
      finder.tick();
      assertThat(emptyBook.size()).isZero();

      clockMillis.addAndGet(1);
      finder.tick();
      assertThat(emptyBook.size()).isEqualTo(FIXED_SEEDS.size());
    }
  }

  @Test
  void theFixedSeedsNeverJoinABookThatKnowsAnAddressNorAConnectOnlyNode() throws Exception {
    book.learnDirectly(List.of(new InetSocketAddress(InetAddress.getByName("127.1.0.1"), 18444)),
        InetAddress.getLoopbackAddress(), 1);
    finder(withFixedSeeds(List.of(), List.of())).tick();
    assertThat(book.size()).isEqualTo(1);

    AddressBook emptyBook = new AddressBook(null, RoutingPolicy.PERMISSIVE, new Random(3), clockMillis::get);
    ServerConfig connectOnly = ServerConfig.defaults(null, List.of(), true)
        .withDiscovery(ServerConfig.Discovery.NONE.withFixedSeeds(FIXED_SEEDS));
    finder(connectOnly, emptyBook).tick();
    assertThat(emptyBook.size()).isZero();
  }

  private static ServerConfig withFixedSeeds(List<String> dnsSeeds, List<InetSocketAddress> addedPeers) {
    return ServerConfig.defaults(null, addedPeers, false)
        .withDiscovery(ServerConfig.Discovery.NONE.withDnsSeeds(dnsSeeds).withFixedSeeds(FIXED_SEEDS));
  }

  @Test
  void aNodeWithoutPeersSaysSoOnceAMinuteWithAHint() {
    try (LogGate log = LogGate.record(Server.class)) {
      PeerFinder finder = finder(false, List.of());
      clockMillis.addAndGet(PeerFinder.NO_PEERS_HINT_PERIOD_MILLIS - 1);
      finder.tick();
      assertThat(log.messages(Level.INFO)).isEmpty();

      clockMillis.addAndGet(1);
      finder.tick();
      finder.tick();
      activePeers.set(1);
      clockMillis.addAndGet(PeerFinder.NO_PEERS_HINT_PERIOD_MILLIS);
      finder.tick();

      assertThat(log.messages(Level.INFO)).singleElement().asString()
          .startsWith("no peer connected for 60 s: 0 addresses known, no DNS seeds; name one with --addnode HOST");
    }
  }
}
