package io.peerd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressBookTest {

  @Test
  void atCapacityTheFirstLearnedAddressIsForgottenFirst() {
    AddressBook book = new AddressBook(3, new Random(1));
    book.add(address(1), 100);
    book.add(address(2), 100);
    book.add(address(3), 100);
    book.add(address(4), 100);
    assertThat(book.size()).isEqualTo(3);
    assertThat(all(book)).containsOnly(address(2), address(3), address(4));
    book.add(address(5), 100);
    assertThat(all(book)).containsOnly(address(3), address(4), address(5));
  }

  @Test
  void seeingAnAddressAgainKeepsTheLatestTimeAndAddsNoEntry() {
    AddressBook book = new AddressBook(10, new Random(1));
    book.add(address(1), 100);
    book.add(address(1), 300);
    book.add(address(1), 200);
    assertThat(book.size()).isEqualTo(1);
    assertThat(book.sample(10)).containsExactly(Map.entry(address(1), 300L));
  }

  @ParameterizedTest(name = "{0} is not kept")
  @ValueSource(strings = {"0.0.0.0:8333", "[::]:8333", "10.0.0.1:0", "224.0.0.1:8333", "[ff02::1]:8333"})
  void ignoresAddressesThatCannotBeDialed(String text) {
    AddressBook book = new AddressBook(10, new Random(1));
    book.add(io.peerd.node.HostPort.parse(text, 1), 100);
    assertThat(book.size()).isZero();
  }

  @Test
  void pickReturnsOnlyUsableAddressesAndNothingWhenNoneIs() {
    AddressBook book = new AddressBook(100, new Random(7));
    IntStream.rangeClosed(1, 20).forEach(i -> book.add(address(i), i));
    for (int i = 0; i < 50; i++) {
      assertThat(book.pick(a -> a.getPort() % 2 == 0)).hasValueSatisfying(a -> assertThat(a.getPort() % 2).isZero());
    }
    assertThat(book.pick(a -> false)).isEmpty();
    assertThat(new AddressBook(10, new Random(1)).pick(a -> true)).isEmpty();
  }

  @Test
  void pickTriesAtMost64Candidates() {
    AddressBook book = new AddressBook(1_000, new Random(3));
    IntStream.rangeClosed(1, 500).forEach(i -> book.add(address(i), i));
    Set<InetSocketAddress> tried = new HashSet<>();
    assertThat(book.pick(a -> {
      tried.add(a);
      return false;
    })).isEmpty();
    assertThat(tried).hasSize(64);
  }

  @Test
  void sampleIsBoundedAndDistinct() {
    AddressBook book = new AddressBook(100, new Random(5));
    IntStream.rangeClosed(1, 30).forEach(i -> book.add(address(i), i));
    List<Map.Entry<InetSocketAddress, Long>> sample = book.sample(10);
    assertThat(sample).hasSize(10).doesNotHaveDuplicates();
    sample.forEach(e -> assertThat(e.getValue()).isEqualTo(e.getKey().getPort() - 1000L));
    assertThat(book.sample(100)).hasSize(30);
  }

  private static Set<InetSocketAddress> all(AddressBook book) {
    return book.sample(Integer.MAX_VALUE).stream().map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  /** 10.0.0.n, port 1000 + n. */
  private static InetSocketAddress address(int n) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (n >> 8), (byte) n}), 1000 + n);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
