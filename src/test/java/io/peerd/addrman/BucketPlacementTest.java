package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.address;
import static io.peerd.addrman.TestAddresses.key;
import static io.peerd.addrman.TestAddresses.publicAddress;
import static io.peerd.addrman.TestAddresses.source;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Where the secret key and the network groups put addresses, and what that bounds for an attacker (Core's addrman tests). */
class BucketPlacementTest {
  private final BucketHasher hasher = new BucketHasher(key(1));

  @Test
  void placementIsDeterministicForAKeyAndDifferentForAnother() {
    BucketHasher sameKey = new BucketHasher(key(1));
    BucketHasher otherKey = new BucketHasher(key(2));
    List<PeerAddress> addresses = IntStream.range(0, 50).mapToObj(TestAddresses::publicAddress).toList();
    Host source = source(0);
    List<Integer> buckets = addresses.stream().map(a -> hasher.newBucket(a, source)).toList();
    List<Integer> slots = addresses.stream().map(a -> hasher.slot(false, hasher.triedBucket(a), a)).toList();
    assertThat(addresses.stream().map(a -> sameKey.newBucket(a, source)).toList()).isEqualTo(buckets);
    assertThat(addresses.stream().map(a -> sameKey.slot(false, sameKey.triedBucket(a), a)).toList()).isEqualTo(slots);
    assertThat(addresses.stream().map(a -> otherKey.newBucket(a, source)).toList()).isNotEqualTo(buckets);
    assertThat(addresses.stream().map(a -> otherKey.slot(false, otherKey.triedBucket(a), a)).toList()).isNotEqualTo(slots);
  }

  @Test
  void theSlotDependsOnTheTableTheBucketAndThePort() {
    PeerAddress address = publicAddress(1);
    PeerAddress otherPort = new PeerAddress(address.host(), 18333);
    Set<Integer> slots = new HashSet<>();
    for (int bucket = 0; bucket < 20; bucket++) {
      slots.add(hasher.slot(true, bucket, address));
    }
    assertThat(slots).hasSizeGreaterThan(1);
    long differing = IntStream.range(0, 20)
        .filter(bucket -> hasher.slot(true, bucket, address) != hasher.slot(false, bucket, address)
            || hasher.slot(true, bucket, address) != hasher.slot(true, bucket, otherPort))
        .count();
    assertThat(differing).isGreaterThan(10);
  }

  @Test
  void addressesFromOneSourceGroupReachAtMost64NewBuckets() {
    Set<Integer> buckets = new HashSet<>();
    for (int i = 0; i < 4 * 255; i++) {
      Host sameGroupSource = TestAddresses.host("80.1." + (i % 250) + ".1"); // many sources in 80.1.0.0/16
      buckets.add(hasher.newBucket(publicAddress(i), sameGroupSource));
    }
    assertThat(buckets).hasSizeLessThanOrEqualTo(BucketHasher.NEW_BUCKETS_PER_SOURCE_GROUP).hasSizeGreaterThan(8);
  }

  @Test
  void addressesFromManySourceGroupsSpreadOverMoreThan64NewBuckets() {
    Set<Integer> buckets = new HashSet<>();
    for (int i = 0; i < 4 * 255; i++) {
      buckets.add(hasher.newBucket(publicAddress(i), source(i)));
    }
    assertThat(buckets).hasSizeGreaterThan(BucketHasher.NEW_BUCKETS_PER_SOURCE_GROUP);
  }

  @Test
  void oneAddressGroupReachesAtMost8TriedBucketsAndManyGroupsReachMore() {
    Set<Integer> sameGroup = new HashSet<>();
    Set<Integer> manyGroups = new HashSet<>();
    for (int i = 0; i < 255; i++) {
      sameGroup.add(hasher.triedBucket(address("50.60." + i + ".1")));
      manyGroups.add(hasher.triedBucket(publicAddress(i)));
    }
    assertThat(sameGroup).hasSizeLessThanOrEqualTo(BucketHasher.TRIED_BUCKETS_PER_GROUP).hasSizeGreaterThan(1);
    assertThat(manyGroups).hasSizeGreaterThan(BucketHasher.TRIED_BUCKETS_PER_GROUP);
  }

  @Test
  void aFloodFromOneSourceGroupFillsAtMost64NewBucketsOfTheManager() {
    var clock = TestAddresses.clock();
    AddressManager manager = TestAddresses.manager(RoutingPolicy.STRICT, clock, 3);
    List<PeerAddress> flood = IntStream.range(0, 10_000).mapToObj(TestAddresses::publicAddress).toList();
    for (int i = 0; i < flood.size(); i += 1000) {
      manager.add(TestAddresses.wire(flood.subList(i, i + 1000), clock.get()), TestAddresses.host("80.1.2." + (i / 1000)), 0);
    }
    Set<Integer> buckets = new HashSet<>();
    for (Entry entry : manager.tables().entries()) {
      for (int i = 0; i < entry.newReferenceCount; i++) {
        buckets.add(entry.newBuckets[i]);
      }
    }
    assertThat(buckets).hasSizeLessThanOrEqualTo(BucketHasher.NEW_BUCKETS_PER_SOURCE_GROUP);
    assertThat(manager.size()).isLessThanOrEqualTo(BucketHasher.NEW_BUCKETS_PER_SOURCE_GROUP * AddressTables.BUCKET_SIZE);
  }
}
