package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.START_SECONDS;
import static io.peerd.addrman.TestAddresses.address;
import static io.peerd.addrman.TestAddresses.key;
import static io.peerd.addrman.TestAddresses.publicAddress;
import static io.peerd.addrman.TestAddresses.source;
import static io.peerd.addrman.TestAddresses.wire;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.wire.AddressV2;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Learning addresses, their multiplicity in the new table, and what connections and attempts record. */
class AddressManagerTest {
  private final AtomicLong clock = TestAddresses.clock();
  private final AddressManager manager = TestAddresses.manager(RoutingPolicy.STRICT, clock, 11);

  private int add(PeerAddress address, Host source, long timeSeconds) {
    return manager.add(List.of(wire(address, timeSeconds)), source, 0);
  }

  private Entry entry(PeerAddress address) {
    return manager.tables().find(address);
  }

  @Test
  void learnedAddressesGoToTheNewTableOnceEach() {
    List<PeerAddress> addresses = List.of(publicAddress(1), publicAddress(2), address("2a01:4f8::1"));
    assertThat(manager.add(wire(addresses, START_SECONDS), source(1), 0)).isEqualTo(3);
    assertThat(manager.add(wire(addresses, START_SECONDS), source(1), 0)).isZero();
    assertThat(manager.size()).isEqualTo(3);
    assertThat(manager.newSize(Network.IPV4)).isEqualTo(2);
    assertThat(manager.newSize(Network.IPV6)).isEqualTo(1);
    assertThat(manager.triedSize(Network.IPV4)).isZero();
  }

  @Test
  void unreachableNetworksAreKeptForRelayAndTorV2IsNot() {
    PeerAddress tor = new PeerAddress(TestAddresses.hostOf(Network.TORV3, "ab".repeat(32)), 9050);
    AddressV2 torV2 = new AddressV2(START_SECONDS, 0, AddressV2.NETWORK_TORV2, new byte[10], 9050);
    assertThat(manager.add(List.of(wire(tor, START_SECONDS), torV2), source(1), 0)).isEqualTo(1);
    assertThat(manager.newSize(Network.TORV3)).isEqualTo(1);
    assertThat(manager.select(false).orElseThrow().address().isReachable()).isFalse();
  }

  @Test
  void anAddressIsInAtMost8NewBucketsAndEachMoreIsHarderToGet() {
    PeerAddress address = publicAddress(1);
    for (int i = 0; i < 8; i++) {
      add(address, source(i), START_SECONDS + i);
    }
    assertThat(entry(address).newReferenceCount).as("odds halve with each bucket").isBetween(1, 5);
    for (int i = 8; i < 400; i++) {
      add(address, source(i), START_SECONDS + i);
    }
    assertThat(entry(address).newReferenceCount).isEqualTo(AddressTables.MAX_NEW_REFERENCES);
    assertThat(manager.size()).isEqualTo(1);
    assertThat(manager.newSize(Network.IPV4)).isEqualTo(1);
  }

  @Test
  void anAddressGainsNoBucketWithoutNewerNews() {
    PeerAddress address = publicAddress(1);
    add(address, source(0), START_SECONDS);
    for (int i = 1; i < 400; i++) {
      add(address, source(i), START_SECONDS);
    }
    assertThat(entry(address).newReferenceCount).isEqualTo(1);
  }

  @Test
  void gossipedTimesArePenalizedButAPeersOwnAddressIsNot() {
    PeerAddress relayed = publicAddress(1);
    PeerAddress own = new PeerAddress(source(2), 8333);
    manager.add(List.of(wire(relayed, START_SECONDS)), source(1), 2 * 60 * 60);
    manager.add(List.of(wire(own, START_SECONDS)), source(2), 2 * 60 * 60);
    assertThat(entry(relayed).timeSeconds).isEqualTo(START_SECONDS - 2 * 60 * 60);
    assertThat(entry(own).timeSeconds).isEqualTo(START_SECONDS);
  }

  @Test
  void gossipRefreshesAnOnlineAddressHourlyAndAnOfflineOneDaily() {
    PeerAddress online = publicAddress(1);
    PeerAddress offline = publicAddress(2);
    long twoDaysAgo = START_SECONDS - 2 * 24 * 60 * 60;
    add(online, source(1), START_SECONDS - 2 * 60 * 60);
    add(offline, source(1), twoDaysAgo);
    add(online, source(1), START_SECONDS - 30 * 60); // 90 minutes later: more than an hour
    add(offline, source(1), twoDaysAgo + 2 * 60 * 60); // 2 hours later: less than a day
    assertThat(entry(online).timeSeconds).isEqualTo(START_SECONDS - 30 * 60);
    assertThat(entry(offline).timeSeconds).isEqualTo(twoDaysAgo);
  }

  @Test
  void goodMovesAnAddressToTheTriedTable() {
    PeerAddress address = publicAddress(1);
    add(address, source(1), START_SECONDS);
    assertThat(manager.good(address)).isTrue();
    assertThat(manager.newSize(Network.IPV4)).isZero();
    assertThat(manager.triedSize(Network.IPV4)).isEqualTo(1);
    assertThat(entry(address).inTried).isTrue();
    assertThat(manager.good(address)).as("already tried").isFalse();
    assertThat(manager.good(publicAddress(2))).as("unknown").isFalse();
    assertThat(manager.size()).isEqualTo(1);
  }

  @Test
  void aNewSlotIsTakenOverOnlyFromATerribleEntry() {
    Host source = source(1);
    PeerAddress first = publicAddress(1);
    PeerAddress rival = Collisions.inNew(key(7), first, source);
    add(first, source, START_SECONDS);
    assertThat(add(rival, source, START_SECONDS)).isZero();
    assertThat(manager.size()).isEqualTo(1);
    assertThat(entry(first)).isNotNull();

    clock.addAndGet(Entry.HORIZON_SECONDS + 1); // first is now terrible: not seen for 30 days
    assertThat(add(rival, source, clock.get())).isEqualTo(1);
    assertThat(manager.size()).isEqualTo(1);
    assertThat(entry(first)).isNull();
    assertThat(entry(rival)).isNotNull();
  }

  @Test
  void failuresCountOncePerSuccessAnywhere() {
    PeerAddress address = publicAddress(1);
    PeerAddress other = publicAddress(2);
    manager.add(wire(List.of(address, other), START_SECONDS), source(1), 0);
    for (int i = 0; i < 3; i++) {
      clock.addAndGet(60);
      manager.attempt(address, true);
    }
    assertThat(entry(address).attempts).as("we might be the ones offline").isEqualTo(1);
    clock.addAndGet(60);
    manager.good(other);
    clock.addAndGet(60);
    manager.attempt(address, true);
    manager.attempt(address, false);
    assertThat(entry(address).attempts).isEqualTo(2);
    assertThat(entry(address).lastTrySeconds).isEqualTo(clock.get());
    manager.good(address);
    assertThat(entry(address).attempts).isZero();
  }

  @Test
  void connectedMovesTheTimeAtMostEvery20Minutes() {
    PeerAddress address = publicAddress(1);
    add(address, source(1), START_SECONDS);
    clock.addAndGet(19 * 60);
    manager.connected(address);
    assertThat(entry(address).timeSeconds).isEqualTo(START_SECONDS);
    clock.addAndGet(2 * 60);
    manager.connected(address);
    assertThat(entry(address).timeSeconds).isEqualTo(clock.get());
  }

  @Test
  void gossipAddsServicesAndTheVersionMessageSetsThem() {
    PeerAddress address = publicAddress(1);
    manager.add(List.of(new AddressV2(START_SECONDS, 1, 1, address.host().bytes(), address.port())), source(1), 0);
    manager.add(List.of(new AddressV2(START_SECONDS, 8, 1, address.host().bytes(), address.port())), source(1), 0);
    assertThat(entry(address).services).isEqualTo(9);
    manager.setServices(address, 4);
    assertThat(entry(address).services).isEqualTo(4);
  }
}
