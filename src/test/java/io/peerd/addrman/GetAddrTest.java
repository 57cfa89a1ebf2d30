package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.START_SECONDS;
import static io.peerd.addrman.TestAddresses.source;
import static io.peerd.addrman.TestAddresses.wire;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Core's GetAddr: a random sample of at most 23 % and 1,000, no terrible address, only the networks asked for. */
class GetAddrTest {
  private final AtomicLong clock = TestAddresses.clock();
  private final AddressManager manager = TestAddresses.manager(RoutingPolicy.STRICT, clock, 23);

  /** {@code count} addresses from sources in 50 groups, so the new table has room for them. */
  private List<PeerAddress> learn(int from, int count, long timeSeconds) {
    List<PeerAddress> addresses = IntStream.range(from, from + count).mapToObj(TestAddresses::publicAddress).toList();
    int perSource = Math.max(1, count / 50);
    for (int i = 0; i < count; i += perSource) {
      manager.add(wire(addresses.subList(i, Math.min(count, i + perSource)), timeSeconds), source(from + i), 0);
    }
    return addresses;
  }

  private List<KnownAddress> getaddr() {
    return manager.addresses(AddressManager.GETADDR_MAX_ADDRESSES, AddressManager.GETADDR_MAX_PERCENT, Network.ALL);
  }

  @Test
  void anAnswerShowsAtMost23PercentOfTheKnownAddresses() {
    learn(0, 1000, START_SECONDS);
    int known = manager.size();
    assertThat(known).isGreaterThan(900);
    List<KnownAddress> answer = getaddr();
    assertThat(answer).hasSize(known * 23 / 100).doesNotHaveDuplicates();
  }

  @Test
  void anAnswerHoldsAtMost1000Addresses() {
    learn(0, 6000, START_SECONDS);
    assertThat(manager.size()).isGreaterThan(1000 * 100 / 23);
    assertThat(getaddr()).hasSize(AddressManager.GETADDR_MAX_ADDRESSES).doesNotHaveDuplicates();
  }

  @Test
  void anAnswerSkipsTerribleAddressesAndOtherNetworks() {
    List<PeerAddress> fresh = learn(0, 50, START_SECONDS);
    learn(1000, 50, START_SECONDS - Entry.HORIZON_SECONDS - 1);
    PeerAddress tor = new PeerAddress(TestAddresses.hostOf(Network.TORV3, "cd".repeat(32)), 9050);
    manager.add(List.of(wire(tor, START_SECONDS)), source(7), 0);
    List<KnownAddress> answer = manager.addresses(1000, 100, Network.REACHABLE);
    assertThat(answer).extracting(KnownAddress::address).containsExactlyInAnyOrderElementsOf(fresh);
    assertThat(manager.addresses(1000, 100, Network.ALL)).extracting(KnownAddress::address).contains(tor);
  }

  @Test
  void theAnswerCarriesTimeAndServicesForTheWire() {
    learn(0, 1, START_SECONDS);
    KnownAddress known = manager.addresses(1, 100, Network.ALL).getFirst();
    assertThat(known.toWire()).isEqualTo(wire(known.address(), START_SECONDS));
  }
}
