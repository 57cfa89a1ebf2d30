package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.addrman.KnownAddress;
import io.peerd.addrman.NetworkGroup;
import io.peerd.addrman.RoutingPolicy;
import io.peerd.wire.AddressV2;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's address book over the address manager: gossip times, groups for diversity, the file. */
class AddressBookTest {
  private static final long NOW_SECONDS = 1_800_000_000L;
  private final AtomicLong clockMillis = new AtomicLong(NOW_SECONDS * 1000);

  @TempDir
  Path dir;

  private AddressBook regtestBook(Path file) {
    return new AddressBook(file, RoutingPolicy.PERMISSIVE, new Random(7), clockMillis::get);
  }

  @Test
  void aGossipedTimeFromTheFutureCountsAsFiveDaysAgoAndEveryGossipedTimeTwoHoursOlder() throws Exception {
    AddressBook book = regtestBook(null);
    book.learn(List.of(v4(127, 1, 0, 1, NOW_SECONDS + 3_600), v4(127, 2, 0, 1, NOW_SECONDS - 60)), local(9));

    assertThat(book.known(10)).extracting(KnownAddress::timeSeconds).containsExactlyInAnyOrder(
        NOW_SECONDS - AddressBook.IMPLAUSIBLE_TIME_AGE_SECONDS - AddressBook.GOSSIP_PENALTY_SECONDS,
        NOW_SECONDS - 60 - AddressBook.GOSSIP_PENALTY_SECONDS);
  }

  /** On regtest a loopback address's group is its /16, so a local test network has groups to spread over. */
  @Test
  void aPickSkipsTakenGroups() throws Exception {
    AddressBook book = regtestBook(null);
    book.learnDirectly(List.of(socket(127, 1, 0, 1), socket(127, 2, 0, 1)), local(9), 1);
    NetworkGroup taken = book.groupOf(InetAddress.getByName("127.1.7.7"));
    assertThat(taken).isNotEqualTo(book.groupOf(InetAddress.getByName("127.2.0.1")));

    InetSocketAddress other = socket(127, 2, 0, 1);
    for (int i = 0; i < 20; i++) {
      assertThat(book.pick(address -> true, Set.of(taken))).contains(other);
    }
    assertThat(book.pick(address -> !address.equals(other), Set.of(taken))).isEmpty();
  }

  /** Checked without a node: were the rule broken, nothing could dial out of the machine. */
  @Test
  void aRegtestBookNeverPicksAPublicAddress() throws Exception {
    AddressBook book = regtestBook(null);
    InetSocketAddress publicAddress = new InetSocketAddress(InetAddress.getByName("8.8.8.8"), 18444);
    book.learnDirectly(List.of(publicAddress), local(9), 1);
    assertThat(book.known(10)).hasSize(1);

    assertThat(book.pick(address -> true, Set.of())).isEmpty();
    assertThat(book.feelerCandidate(address -> true)).isEmpty();
  }

  @Test
  void theBookOutlivesARestartThroughItsFile() throws Exception {
    Path file = dir.resolve("addresses.dat");
    AddressBook saved = regtestBook(file);
    saved.learnDirectly(List.of(socket(127, 1, 0, 1), socket(127, 2, 0, 1)), local(9), 1);
    saved.save();

    AddressBook loaded = regtestBook(file);
    loaded.load();
    assertThat(loaded.size()).isEqualTo(2);
    assertThat(loaded.known(10)).extracting(k -> k.address().toSocketAddress().orElseThrow())
        .containsExactlyInAnyOrder(socket(127, 1, 0, 1), socket(127, 2, 0, 1));
  }

  @Test
  void itIsSavedEveryFifteenMinutes() throws Exception {
    Path file = dir.resolve("addresses.dat");
    AddressBook book = regtestBook(file);
    book.learnDirectly(List.of(socket(127, 1, 0, 1)), local(9), 1);
    book.saveIfDue();
    assertThat(file).doesNotExist();
    clockMillis.addAndGet(AddressBook.SAVE_PERIOD_MILLIS);
    book.saveIfDue();
    assertThat(file).exists();
  }

  private static AddressV2 v4(int a, int b, int c, int d, long timeSeconds) {
    return new AddressV2(timeSeconds, 1, AddressV2.NETWORK_IPV4, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d},
        18444);
  }

  private static InetSocketAddress socket(int a, int b, int c, int d) throws Exception {
    return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), 18444);
  }

  private static InetAddress local(int last) throws Exception {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
  }
}
