package io.peerd.addrman;

import static io.peerd.addrman.TestAddresses.START_SECONDS;
import static io.peerd.addrman.TestAddresses.key;
import static io.peerd.addrman.TestAddresses.source;
import static io.peerd.addrman.TestAddresses.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The address file: an exact round trip, clear refusals of damaged files, and saves that a crash cannot spoil. */
class AddressFileTest {
  @TempDir
  Path directory;
  private final AtomicLong clock = TestAddresses.clock();

  private Path file() {
    return directory.resolve("peers.dat");
  }

  /** A manager with IPv4, IPv6 and Tor addresses, some in several new buckets, some tried, one with failures. */
  private AddressManager populated() {
    AddressManager manager = TestAddresses.manager(RoutingPolicy.STRICT, clock, 3);
    List<PeerAddress> addresses = IntStream.range(0, 300).mapToObj(TestAddresses::publicAddress).toList();
    for (int i = 0; i < 30; i++) {
      manager.add(wire(addresses.subList(i * 10, i * 10 + 10), START_SECONDS + i), source(i), 60);
      manager.add(wire(addresses.subList(0, 10), START_SECONDS + 100 + i), source(100 + i), 0);
    }
    manager.add(List.of(wire(TestAddresses.address("2a01:4f8::1"), START_SECONDS),
        wire(new PeerAddress(TestAddresses.hostOf(Network.TORV3, "ab".repeat(32)), 9050), START_SECONDS)), source(7), 0);
    addresses.subList(20, 60).forEach(manager::good);
    clock.addAndGet(60);
    manager.attempt(addresses.get(100), true);
    return manager;
  }

  private AddressManager load(Path path, RoutingPolicy policy) throws Exception {
    return AddressFile.load(path, policy, new Random(3), clock::get);
  }

  private static Map<PeerAddress, String> describe(AddressManager manager) {
    return manager.tables().entries().stream().collect(Collectors.toMap(e -> e.address, AddressFileTest::describe));
  }

  private static String describe(Entry e) {
    int[] buckets = Arrays.copyOf(e.newBuckets, e.newReferenceCount);
    Arrays.sort(buckets);
    return e.source + " " + e.services + " " + e.timeSeconds + " " + e.lastSuccessSeconds + " " + e.attempts + " "
        + e.inTried + " " + Arrays.toString(buckets);
  }

  @Test
  void aSavedManagerLoadsBackExactly() throws Exception {
    AddressManager saved = populated();
    assertThat(saved.tables().entries()).anyMatch(e -> e.newReferenceCount > 1);
    AddressFile.save(file(), saved);
    AddressManager loaded = load(file(), RoutingPolicy.STRICT);

    assertThat(loaded.tables().hasher.key()).isEqualTo(key(7));
    assertThat(describe(loaded)).isEqualTo(describe(saved));
    for (Network network : Network.values()) {
      assertThat(loaded.newSize(network)).isEqualTo(saved.newSize(network));
      assertThat(loaded.triedSize(network)).isEqualTo(saved.triedSize(network));
    }
  }

  @Test
  void entriesTheLoadingPolicyRefusesAreLeftOut() throws Exception {
    AddressManager regtest = TestAddresses.manager(RoutingPolicy.PERMISSIVE, clock, 3);
    regtest.add(wire(List.of(TestAddresses.address("127.0.0.1"), TestAddresses.publicAddress(1)), START_SECONDS),
        TestAddresses.host("127.0.0.1"), 0);
    AddressFile.save(file(), regtest);
    assertThat(load(file(), RoutingPolicy.PERMISSIVE).size()).isEqualTo(2);
    AddressManager strict = load(file(), RoutingPolicy.STRICT);
    assertThat(strict.size()).isEqualTo(1);
    assertThat(strict.select(false).orElseThrow().address()).isEqualTo(TestAddresses.publicAddress(1));
  }

  @Test
  void aTruncatedFileIsRefusedAsTruncated() throws Exception {
    AddressFile.save(file(), populated());
    byte[] bytes = Files.readAllBytes(file());
    for (int length : new int[] {0, 10, 100, bytes.length - 1}) {
      Files.write(file(), Arrays.copyOf(bytes, length));
      assertThatThrownBy(() -> load(file(), RoutingPolicy.STRICT))
          .isInstanceOf(AddressFileException.class).hasMessageContaining("truncated");
    }
  }

  @Test
  void aFileWithAnyByteChangedIsRefusedAsCorrupt() throws Exception {
    AddressFile.save(file(), populated());
    byte[] bytes = Files.readAllBytes(file());
    for (int position : new int[] {20, bytes.length / 2, bytes.length - 1}) {
      byte[] damaged = bytes.clone();
      damaged[position] ^= 0x01;
      Files.write(file(), damaged);
      assertThatThrownBy(() -> load(file(), RoutingPolicy.STRICT))
          .isInstanceOf(AddressFileException.class).hasMessageContaining("checksum");
    }
  }

  @Test
  void otherFilesAndFormatsAreRefusedByName() throws Exception {
    AddressFile.save(file(), populated());
    byte[] bytes = Files.readAllBytes(file());
    byte[] otherFormat = bytes.clone();
    otherFormat[4] = 2;
    Files.write(file(), otherFormat);
    assertThatThrownBy(() -> load(file(), RoutingPolicy.STRICT)).hasMessageContaining("format 2");
    Files.write(file(), "not an address file at all, but long enough to have a checksum".getBytes());
    assertThatThrownBy(() -> load(file(), RoutingPolicy.STRICT)).hasMessageContaining("not an address file");
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    Files.write(file(), longer);
    assertThatThrownBy(() -> load(file(), RoutingPolicy.STRICT)).hasMessageContaining("past its end");
  }

  @Test
  void aFileLargerThanFullTablesIsRefusedUnread() throws Exception {
    try (RandomAccessFile sparse = new RandomAccessFile(file().toFile(), "rw")) {
      sparse.setLength(AddressCodec.MAX_FILE_BYTES + 1L);
    }
    assertThatThrownBy(() -> load(file(), RoutingPolicy.STRICT))
        .isInstanceOf(AddressFileException.class).hasMessageContaining("more than");
  }

  @Test
  void noFileIsAnIoErrorTheCallerTellsFromDamage() {
    assertThatThrownBy(() -> load(file(), RoutingPolicy.STRICT)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aCrashMidSaveLeavesTheLastGoodFileWhole() throws Exception {
    AddressManager good = populated();
    AddressFile.save(file(), good);
    byte[] lastGood = Files.readAllBytes(file());
    Path temporary = AddressFile.temporaryPath(file());

    Files.write(temporary, Arrays.copyOf(lastGood, lastGood.length / 3)); // a save cut short by a crash
    assertThat(describe(load(file(), RoutingPolicy.STRICT))).isEqualTo(describe(good));

    AddressManager grown = populated();
    grown.add(wire(List.of(TestAddresses.publicAddress(5000)), START_SECONDS), source(5000), 0);
    AddressFile.save(file(), grown); // over the leftover temporary file
    assertThat(describe(load(file(), RoutingPolicy.STRICT))).isEqualTo(describe(grown));
    assertThat(temporary).doesNotExist();
  }

  @Test
  void aSaveThatFailsLeavesTheOldFileUntouched() throws Exception {
    AddressFile.save(file(), populated());
    byte[] before = Files.readAllBytes(file());
    Files.createDirectory(AddressFile.temporaryPath(file())); // the temporary file cannot be written
    assertThatThrownBy(() -> AddressFile.save(file(), TestAddresses.manager(RoutingPolicy.STRICT, clock, 1)))
        .isInstanceOf(IOException.class);
    assertThat(Files.readAllBytes(file())).isEqualTo(before);
  }
}
