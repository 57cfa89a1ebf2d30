package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.START_SECONDS;
import static io.peerd.addrman.TestAddresses.publicAddress;
import static io.peerd.addrman.TestAddresses.source;
import static io.peerd.addrman.TestAddresses.wire;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Core's Select: the table asked for, the networks asked for, weighted by chance, never terrible while something else is known. */
class SelectTest {
  private static final int DRAWS = 300;
  private final AtomicLong clock = TestAddresses.clock();
  private final AddressManager manager = TestAddresses.manager(RoutingPolicy.STRICT, clock, 17);

  private Set<PeerAddress> selectMany(boolean newOnly, Set<Network> networks) {
    Set<PeerAddress> selected = new HashSet<>();
    for (int i = 0; i < DRAWS; i++) {
      selected.add(manager.select(newOnly, networks).orElseThrow().address());
    }
    return selected;
  }

  private List<PeerAddress> learn(int from, int count, long timeSeconds) {
    List<PeerAddress> addresses = IntStream.range(from, from + count).mapToObj(TestAddresses::publicAddress).toList();
    manager.add(wire(addresses, timeSeconds), source(from), 0);
    return addresses;
  }

  @Test
  void nothingIsSelectedFromAnEmptyManager() {
    assertThat(manager.select(false)).isEmpty();
    assertThat(manager.select(true)).isEmpty();
    assertThat(manager.selectTriedCollision()).isEmpty();
  }

  @Test
  void newOnlySelectsFromTheNewTableAndOtherwiseBothAreUsed() {
    List<PeerAddress> tried = learn(0, 10, START_SECONDS);
    tried.forEach(manager::good);
    List<PeerAddress> fresh = learn(100, 10, START_SECONDS);
    assertThat(fresh).containsAll(selectMany(true, Network.ALL));
    Set<PeerAddress> any = selectMany(false, Network.ALL);
    assertThat(any).containsAnyElementsOf(tried).containsAnyElementsOf(fresh);
  }

  @Test
  void onlyTriedAddressesAreNotSelectedWhenNewOnesAreAskedFor() {
    learn(0, 5, START_SECONDS).forEach(manager::good);
    assertThat(manager.select(true)).isEmpty();
    assertThat(manager.select(false)).isPresent();
  }

  @Test
  void aTerribleAddressIsNeverSelectedWhileAnotherIsKnown() {
    learn(0, 5, START_SECONDS - Entry.HORIZON_SECONDS - 1);
    List<PeerAddress> fresh = learn(100, 1, START_SECONDS);
    assertThat(selectMany(false, Network.ALL)).containsExactlyElementsOf(fresh);
  }

  @Test
  void aTerribleAddressIsSelectedWhenNothingElseIsKnownRatherThanNoDialAtAll() {
    List<PeerAddress> stale = learn(0, 5, START_SECONDS - Entry.HORIZON_SECONDS - 1);
    assertThat(stale).containsAll(selectMany(false, Network.ALL));
  }

  @Test
  void onlyTheNetworksAskedForAreSelected() {
    PeerAddress tor = new PeerAddress(TestAddresses.hostOf(Network.TORV3, "ab".repeat(32)), 9050);
    List<PeerAddress> ipv4 = learn(0, 3, START_SECONDS);
    manager.add(List.of(wire(tor, START_SECONDS)), source(9), 0);
    assertThat(ipv4).containsAll(selectMany(false, Network.REACHABLE));
    assertThat(selectMany(false, Set.of(Network.TORV3))).containsExactly(tor);
    assertThat(manager.select(false, Set.of(Network.I2P))).isEmpty();
  }

  @Test
  void anAddressTriedMinutesAgoIsSelectedFarLessOften() {
    PeerAddress justTried = publicAddress(1);
    PeerAddress untried = publicAddress(2);
    manager.add(wire(List.of(justTried, untried), START_SECONDS), source(1), 0);
    manager.attempt(justTried, false);
    clock.addAndGet(2 * 60); // past the minute that spares it from being terrible, within the 10 that lower its chance
    int justTriedCount = 0;
    for (int i = 0; i < 1000; i++) {
      if (manager.select(false).orElseThrow().address().equals(justTried)) {
        justTriedCount++;
      }
    }
    assertThat(justTriedCount).isLessThan(100);
  }

  @Test
  void aSelectEndsEvenWhenEveryAddressHasTheLowestChance() {
    for (PeerAddress address : learn(0, 20, START_SECONDS)) {
      Entry entry = manager.tables().find(address);
      entry.attempts = Entry.MAX_COUNTED_FAILURES;
      entry.lastSuccessSeconds = START_SECONDS; // failures after a success: not terrible
      entry.lastTrySeconds = START_SECONDS;
    }
    clock.addAndGet(61);
    assertThat(Math.pow(AddressManager.CHANCE_GROWTH, AddressManager.MAX_SELECT_DRAWS) * Entry.MIN_CHANCE)
        .isGreaterThanOrEqualTo(1.0);
    for (int i = 0; i < DRAWS; i++) {
      assertThat(manager.select(false)).isPresent();
    }
  }
}
