package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.START_SECONDS;
import static io.peerd.addrman.TestAddresses.key;
import static io.peerd.addrman.TestAddresses.publicAddress;
import static io.peerd.addrman.TestAddresses.source;
import static io.peerd.addrman.TestAddresses.wire;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Test-before-evict: a newcomer whose tried slot is taken waits until the old entry is tested. */
class TriedCollisionTest {
  private static final long HOURS_5 = 5 * 60 * 60;
  private final AtomicLong clock = TestAddresses.clock();
  private final AddressManager manager = TestAddresses.manager(RoutingPolicy.STRICT, clock, 5);
  private final PeerAddress old = publicAddress(1);
  private final PeerAddress newcomer = Collisions.inTried(key(7), old);

  /** {@code old} in tried, connected 5 hours ago; {@code newcomer} just connected and collides with it. */
  private void collide() {
    manager.add(wire(List.of(old, newcomer), START_SECONDS), source(1), 0);
    assertThat(manager.good(old)).isTrue();
    clock.addAndGet(HOURS_5);
    assertThat(manager.good(newcomer)).isFalse();
  }

  private boolean inTried(PeerAddress address) {
    return manager.tables().find(address).inTried;
  }

  @Test
  void aCollidingNewcomerWaitsAndTheOldEntryIsOfferedForATest() {
    collide();
    assertThat(inTried(old)).isTrue();
    assertThat(inTried(newcomer)).isFalse();
    assertThat(manager.triedSize(Network.IPV4)).isEqualTo(1);
    assertThat(manager.newSize(Network.IPV4)).isEqualTo(1);
    assertThat(manager.selectTriedCollision().orElseThrow().address()).isEqualTo(old);
  }

  @Test
  void anOldEntryThatPassesItsTestKeepsItsSlot() {
    collide();
    clock.addAndGet(10);
    manager.good(old); // the feeler connected
    manager.resolveCollisions();
    assertThat(inTried(old)).isTrue();
    assertThat(inTried(newcomer)).isFalse();
    assertThat(manager.selectTriedCollision()).isEmpty();
  }

  @Test
  void anOldEntryThatFailsItsTestIsReplacedOnceItHadAMinute() {
    collide();
    manager.attempt(old, true); // the feeler failed
    clock.addAndGet(30);
    manager.resolveCollisions();
    assertThat(inTried(old)).as("still within its minute").isTrue();
    clock.addAndGet(31);
    manager.resolveCollisions();
    assertThat(inTried(newcomer)).isTrue();
    assertThat(inTried(old)).as("back in the new table").isFalse();
    assertThat(manager.size()).isEqualTo(2);
    assertThat(manager.selectTriedCollision()).isEmpty();
  }

  @Test
  void anOldEntryNobodyTestsWithin40MinutesIsReplaced() {
    collide();
    clock.addAndGet(39 * 60);
    manager.resolveCollisions();
    assertThat(inTried(old)).isTrue();
    clock.addAndGet(2 * 60);
    manager.resolveCollisions();
    assertThat(inTried(newcomer)).isTrue();
    assertThat(inTried(old)).isFalse();
  }

  @Test
  void atMost10CollisionsWaitForATest() {
    List<PeerAddress> newcomers = new ArrayList<>();
    Set<Integer> triedSlots = new HashSet<>();
    BucketHasher hasher = new BucketHasher(key(7));
    for (int i = 0; newcomers.size() < AddressManager.MAX_TRIED_COLLISIONS + 1; i++) {
      PeerAddress incumbent = publicAddress(100 + i);
      int bucket = hasher.triedBucket(incumbent);
      if (triedSlots.add(bucket * AddressTables.BUCKET_SIZE + hasher.slot(false, bucket, incumbent))) {
        manager.add(List.of(wire(incumbent, START_SECONDS)), source(i), 0);
        manager.good(incumbent);
        newcomers.add(Collisions.inTried(key(7), incumbent));
      }
    }
    clock.addAndGet(HOURS_5);
    for (int i = 0; i < newcomers.size(); i++) {
      manager.add(List.of(wire(newcomers.get(i), clock.get())), source(500 + i), 0);
      assertThat(manager.good(newcomers.get(i))).isFalse();
    }
    clock.addAndGet(41 * 60);
    manager.resolveCollisions();
    long moved = newcomers.stream().filter(this::inTried).count();
    assertThat(moved).isEqualTo(AddressManager.MAX_TRIED_COLLISIONS);
  }

  @Test
  void aCollisionWhoseNewcomerWasForgottenIsDropped() {
    collide();
    Host source = source(1);
    PeerAddress rival = Collisions.inNew(key(7), newcomer, source);
    clock.addAndGet(Entry.HORIZON_SECONDS); // the newcomer's gossiped time is now 30 days old: terrible
    manager.add(List.of(wire(rival, clock.get())), source, 0); // takes the newcomer's only new slot
    assertThat(manager.tables().find(newcomer)).isNull();
    assertThat(manager.selectTriedCollision()).isEmpty();
    manager.resolveCollisions();
    assertThat(inTried(old)).isTrue();
  }
}
