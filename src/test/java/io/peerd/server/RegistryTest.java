package io.peerd.server;

import static io.peerd.server.RegistryFakes.address;
import static io.peerd.server.RegistryFakes.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.ConnectionKind;
import io.peerd.server.Registry.Admission;
import io.peerd.server.Registry.Displaced;
import io.peerd.testing.StubPeer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one-connection-per-peer rule, one node's side at a time. */
class RegistryTest {
  private static final InetSocketAddress LOW = address("10.0.0.1", 18444);
  private static final InetSocketAddress HIGH = address("10.0.0.2", 18444);
  private static final InetSocketAddress OTHER = address("10.0.0.3", 18444);
  private long nextId = 1;

  /** What exists when the candidate's version arrives. */
  enum Existing { NOTHING, INBOUND, OUTBOUND, WORKER_DIAL, ONE_SHOT_DIAL }

  /** How the admission ends: accepted alone, accepted replacing the rival, or refused. */
  enum Outcome { ACCEPT, DISPLACE, REFUSE }

  @ParameterizedTest(name = "own {0}, existing {1}, candidate {2}: {3}")
  @CsvSource({
      // Our address is the lower one: the connection we dialed wins.
      "LOWER,  NOTHING,       INBOUND,  ACCEPT",
      "LOWER,  NOTHING,       OUTBOUND, ACCEPT",
      "LOWER,  INBOUND,       OUTBOUND, DISPLACE",
      "LOWER,  INBOUND,       INBOUND,  REFUSE",
      "LOWER,  OUTBOUND,      INBOUND,  REFUSE",
      "LOWER,  OUTBOUND,      OUTBOUND, REFUSE",
      "LOWER,  WORKER_DIAL,   OUTBOUND, DISPLACE",
      "LOWER,  WORKER_DIAL,   INBOUND,  REFUSE",
      "LOWER,  ONE_SHOT_DIAL, OUTBOUND, ACCEPT",
      "LOWER,  ONE_SHOT_DIAL, INBOUND,  REFUSE",
      // Our address is the higher one: the connection they dialed (our inbound) wins.
      "HIGHER, NOTHING,       INBOUND,  ACCEPT",
      "HIGHER, NOTHING,       OUTBOUND, ACCEPT",
      "HIGHER, OUTBOUND,      INBOUND,  DISPLACE",
      "HIGHER, OUTBOUND,      OUTBOUND, REFUSE",
      "HIGHER, INBOUND,       OUTBOUND, REFUSE",
      "HIGHER, INBOUND,       INBOUND,  REFUSE",
      "HIGHER, WORKER_DIAL,   INBOUND,  DISPLACE",
      "HIGHER, WORKER_DIAL,   OUTBOUND, REFUSE",
      "HIGHER, ONE_SHOT_DIAL, INBOUND,  ACCEPT",
      "HIGHER, ONE_SHOT_DIAL, OUTBOUND, REFUSE",
      // Without a known own address, the first connection wins.
      "UNKNOWN, NOTHING,       INBOUND,  ACCEPT",
      "UNKNOWN, NOTHING,       OUTBOUND, ACCEPT",
      "UNKNOWN, INBOUND,       INBOUND,  REFUSE",
      "UNKNOWN, INBOUND,       OUTBOUND, REFUSE",
      "UNKNOWN, OUTBOUND,      INBOUND,  REFUSE",
      "UNKNOWN, OUTBOUND,      OUTBOUND, REFUSE",
      "UNKNOWN, WORKER_DIAL,   INBOUND,  REFUSE",
      "UNKNOWN, WORKER_DIAL,   OUTBOUND, REFUSE",
      "UNKNOWN, ONE_SHOT_DIAL, INBOUND,  REFUSE",
      "UNKNOWN, ONE_SHOT_DIAL, OUTBOUND, REFUSE"})
  void theConnectionDialedByTheLowerAddressWins(String own, Existing existing, String candidateDirection,
      Outcome expected) {
    InetSocketAddress ownAddress = switch (own) {
      case "LOWER" -> LOW;
      case "HIGHER" -> HIGH;
      default -> null;
    };
    InetSocketAddress remote = own.equals("LOWER") ? HIGH : LOW;
    Registry registry = new Registry(ownAddress);
    ConnectionWorker worker = worker(remote);
    Registry.Entry rival = null;
    switch (existing) {
      case NOTHING -> { }
      case INBOUND -> rival = add(registry, ConnectionKind.INBOUND, remote);
      case OUTBOUND -> rival = add(registry, ConnectionKind.MANUAL, remote);
      case WORKER_DIAL -> registry.startDial(remote, worker, 7);
      case ONE_SHOT_DIAL -> registry.startDial(remote, null, 0);
    }
    ConnectionKind kind = candidateDirection.equals("INBOUND") ? ConnectionKind.INBOUND : ConnectionKind.OUTBOUND_FULL;
    Registry.Entry candidate = add(registry, kind, remote);

    Admission admission = registry.admit(candidate);

    switch (expected) {
      case ACCEPT -> assertThat(admission).isEqualTo(new Admission.Accept(List.of()));
      case REFUSE -> assertThat(admission).isInstanceOf(Admission.Refuse.class);
      case DISPLACE -> {
        Displaced displaced = rival != null
            ? new Displaced.Connection(rival.peer(), "replaced by the connection dialed by the lower address")
            : new Displaced.Dial(worker, 7);
        assertThat(admission).isEqualTo(new Admission.Accept(List.of(displaced)));
      }
    }
  }

  @Test
  void theRefusalSaysWhichSideStays() {
    Registry registry = new Registry(LOW);
    add(registry, ConnectionKind.MANUAL, HIGH);
    Admission refusal = registry.admit(add(registry, ConnectionKind.INBOUND, HIGH));
    assertThat(refusal).isEqualTo(new Admission.Refuse(
        "duplicate connection to " + HIGH + ": the one dialed by us stays"));
    Registry higher = new Registry(HIGH);
    add(higher, ConnectionKind.INBOUND, LOW);
    assertThat(higher.admit(add(higher, ConnectionKind.MANUAL, LOW))).isEqualTo(new Admission.Refuse(
        "duplicate connection to " + LOW + ": the one dialed by them stays"));
  }

  @Test
  void aWinnerReplacesEveryLosingRival() {
    Registry registry = new Registry(LOW);
    ConnectionWorker worker = worker(HIGH);
    Registry.Entry first = add(registry, ConnectionKind.INBOUND, HIGH);
    Registry.Entry second = add(registry, ConnectionKind.INBOUND, HIGH);
    registry.startDial(HIGH, worker, 3);
    Admission admission = registry.admit(add(registry, ConnectionKind.MANUAL, HIGH));
    String reason = "replaced by the connection dialed by the lower address";
    assertThat(admission).isEqualTo(new Admission.Accept(List.of(new Displaced.Connection(first.peer(), reason),
        new Displaced.Connection(second.peer(), reason), new Displaced.Dial(worker, 3))));
  }

  @Test
  void connectionsWithoutIdentityAreNeitherCandidatesNorRivals() {
    Registry registry = new Registry(LOW);
    add(registry, ConnectionKind.MANUAL, HIGH);
    registry.startDial(HIGH, worker(HIGH), 1);
    assertThat(registry.admit(add(registry, ConnectionKind.INBOUND, null))).isEqualTo(new Admission.Accept(List.of()));

    Registry.Entry anonymous = add(registry, ConnectionKind.INBOUND, null);
    Registry fresh = new Registry(HIGH);
    fresh.add(anonymous);
    assertThat(fresh.admit(add(fresh, ConnectionKind.MANUAL, LOW))).isEqualTo(new Admission.Accept(List.of()));
  }

  @Test
  void aRefusedConnectionNoLongerCountsWhileItCloses() {
    Registry registry = new Registry(null);
    Registry.Entry first = add(registry, ConnectionKind.INBOUND, HIGH);
    assertThat(registry.admit(first)).isEqualTo(new Admission.Accept(List.of()));
    Registry.Entry refused = add(registry, ConnectionKind.INBOUND, HIGH);
    assertThat(registry.admit(refused)).isInstanceOf(Admission.Refuse.class);
    registry.remove(first.peer().id());
    assertThat(registry.hasLive(HIGH)).as("the refused one, still registered until its done event").isFalse();
    assertThat(registry.admit(add(registry, ConnectionKind.INBOUND, HIGH))).isEqualTo(new Admission.Accept(List.of()));
  }

  @Test
  void rivalsForOtherIdentitiesDoNotMatter() {
    Registry registry = new Registry(LOW);
    add(registry, ConnectionKind.MANUAL, OTHER);
    registry.startDial(address("10.0.0.2", 18445), worker(HIGH), 1); // same IP, other port
    assertThat(registry.admit(add(registry, ConnectionKind.INBOUND, HIGH))).isEqualTo(new Admission.Accept(List.of()));
  }

  @ParameterizedTest(name = "own address {0} is unknown")
  @CsvSource({"0.0.0.0", "::"})
  void aWildcardOwnAddressMeansTheFirstConnectionWins(String wildcard) {
    Registry registry = new Registry(address(wildcard, 18444));
    add(registry, ConnectionKind.INBOUND, HIGH);
    assertThat(registry.admit(add(registry, ConnectionKind.MANUAL, HIGH))).isInstanceOf(Admission.Refuse.class);
  }

  @ParameterizedTest(name = "{0} < {1}")
  @CsvSource({
      "10.0.0.1:9,      10.0.0.2:1",
      "10.0.0.1:1,      10.0.0.1:2",
      "10.0.0.1:65535,  200.0.0.1:1",
      "127.0.0.255:1,   128.0.0.0:1",
      "[::1]:1,         127.0.0.1:1",
      "[2001:db8::1]:1, [2001:db8::2]:1",
      "1.2.3.4:1,       [2001:db8::1]:1",
      "[fe80::1]:1,     [ff02::1]:1"})
  void addressesCompareAsUnsignedMappedBytesThenPort(String lower, String higher) {
    InetSocketAddress low = io.peerd.net.HostPort.parse(lower, 0);
    InetSocketAddress high = io.peerd.net.HostPort.parse(higher, 0);
    assertThat(Registry.ADDRESS_ORDER.compare(low, high)).isNegative();
    assertThat(Registry.ADDRESS_ORDER.compare(high, low)).isPositive();
    assertThat(Registry.ADDRESS_ORDER.compare(low, io.peerd.net.HostPort.parse(lower, 0))).isZero();
  }

  @Test
  void anIpv4MappedIpv6AddressOrdersLikeItsIpv4Address() throws Exception {
    InetSocketAddress v4 = address("1.2.3.4", 8333);
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 1;
    mapped[13] = 2;
    mapped[14] = 3;
    mapped[15] = 4;
    InetSocketAddress v6 = new InetSocketAddress(java.net.Inet6Address.getByAddress(null, mapped, -1), 8333);
    assertThat(Registry.ADDRESS_ORDER.compare(v4, v6)).isZero();
  }

  // ------------------------------------------------------------ bookkeeping

  @Test
  void hasLiveFollowsEntriesAndTheirIdentity() {
    Registry registry = new Registry(LOW);
    assertThat(registry.hasLive(HIGH)).isFalse();
    Registry.Entry inbound = add(registry, ConnectionKind.INBOUND, null);
    assertThat(registry.hasLive(HIGH)).as("an inbound connection before its version").isFalse();
    inbound.setIdentity(HIGH);
    assertThat(registry.hasLive(HIGH)).isTrue();
    assertThat(registry.hasLive(OTHER)).isFalse();
    assertThat(registry.remove(inbound.peer().id())).isSameAs(inbound);
    assertThat(registry.hasLive(HIGH)).isFalse();
    assertThat(registry.isEmpty()).isTrue();
    assertThat(registry.remove(inbound.peer().id())).isNull();
  }

  @Test
  void aWorkerDialEndsOnlyWithItsOwnAttempt() {
    Registry registry = new Registry(LOW);
    ConnectionWorker worker = worker(HIGH);
    registry.startDial(HIGH, worker, 5);
    assertThat(registry.isDialing(HIGH)).isTrue();
    assertThat(registry.endDial(worker, 4)).as("an older attempt").isEmpty();
    assertThat(registry.endDial(worker(HIGH), 5)).as("another worker").isEmpty();
    assertThat(registry.isDialing(HIGH)).isTrue();
    assertThat(registry.endDial(worker, 5)).contains(HIGH);
    assertThat(registry.isDialing(HIGH)).isFalse();
    assertThat(registry.endDial(worker, 5)).as("ended already (cancelled)").isEmpty();
  }

  @Test
  void aStoppedWorkerLosesAllItsDialsAndNoOneElses() {
    Registry registry = new Registry(LOW);
    ConnectionWorker stopped = worker(HIGH);
    ConnectionWorker other = worker(OTHER);
    registry.startDial(HIGH, stopped, 1);
    registry.startDial(address("10.0.0.2", 8333), stopped, 2);
    registry.startDial(OTHER, other, 1);
    registry.startDial(address("10.0.0.9", 1), null, 0);
    registry.endDials(stopped);
    assertThat(registry.isDialing(HIGH)).isFalse();
    assertThat(registry.isDialing(address("10.0.0.2", 8333))).isFalse();
    assertThat(registry.isDialing(OTHER)).isTrue();
    assertThat(registry.isDialing(address("10.0.0.9", 1))).as("a one-shot dial").isTrue();
  }

  @Test
  void oneShotDialsAreEndedByAddress() {
    Registry registry = new Registry(LOW);
    registry.startDial(HIGH, null, 0);
    registry.startDial(OTHER, null, 0);
    registry.startDial(address("10.0.0.4", 1), worker(HIGH), 1);
    registry.endOneShotDial(HIGH);
    assertThat(registry.isDialing(HIGH)).isFalse();
    assertThat(registry.isDialing(OTHER)).isTrue();
    assertThat(registry.isDialing(address("10.0.0.4", 1))).isTrue();
  }

  @Test
  void aSecondDialToOneAddressIsAProgrammingError() {
    Registry registry = new Registry(LOW);
    registry.startDial(HIGH, worker(HIGH), 1);
    assertThatThrownBy(() -> registry.startDial(HIGH, null, 0)).isInstanceOf(AssertionError.class);
  }

  @Test
  void selfAddressesAreRemembered() {
    Registry registry = new Registry(LOW);
    registry.markSelf(null);
    assertThat(registry.isSelf(HIGH)).isFalse();
    registry.markSelf(HIGH);
    assertThat(registry.isSelf(HIGH)).isTrue();
    assertThat(registry.isSelf(address("10.0.0.2", 18445))).isFalse();
  }

  @Test
  void countsAndLookups() {
    Registry registry = new Registry(LOW);
    Registry.Entry manual = add(registry, ConnectionKind.MANUAL, HIGH);
    add(registry, ConnectionKind.INBOUND, null);
    add(registry, ConnectionKind.INBOUND, null);
    Registry.Entry activeInbound = add(registry, ConnectionKind.INBOUND, null);
    registry.activate(activeInbound);
    add(registry, ConnectionKind.INBOUND, null, address("192.168.7.7", 5));
    assertThat(registry.count(ConnectionKind.INBOUND)).isEqualTo(4);
    assertThat(registry.count(ConnectionKind.MANUAL)).isOne();
    assertThat(registry.count(ConnectionKind.OUTBOUND_FULL)).isZero();
    assertThat(registry.handshakingInbound(NetGroup.of(address("10.0.99.200", 1).getAddress())))
        .as("unfinished inbound handshakes from 10.0.99/24: not the outbound, not the active one").isEqualTo(2);
    assertThat(registry.outboundWithNonce(manual.peer().localNonce())).containsSame(manual);
    assertThat(registry.outboundWithNonce(activeInbound.peer().localNonce())).as("inbound nonces do not count").isEmpty();
    assertThat(registry.entries()).hasSize(5).first().isSameAs(manual);
    assertThat(registry.get(manual.peer().id())).isSameAs(manual);
  }

  /** The counts admission reads per connection follow every add, activation and removal. */
  @Test
  void countsFollowRemovalsAndActivations() {
    Registry registry = new Registry(LOW);
    NetGroup group = NetGroup.of(address("10.0.99.200", 1).getAddress());
    Registry.Entry handshaking = add(registry, ConnectionKind.INBOUND, null);
    Registry.Entry active = add(registry, ConnectionKind.INBOUND, null);
    registry.activate(active);
    registry.activate(active); // twice: counted once
    assertThat(registry.handshakingInbound(group)).isOne();
    assertThat(registry.activeCount()).isOne();

    registry.remove(active.peer().id());
    assertThat(registry.handshakingInbound(group)).as("an active entry's removal leaves the handshakes alone").isOne();
    assertThat(registry.activeCount()).isZero();
    assertThat(registry.count(ConnectionKind.INBOUND)).isOne();
    registry.remove(handshaking.peer().id());
    assertThat(registry.handshakingInbound(group)).isZero();
    assertThat(registry.count(ConnectionKind.INBOUND)).isZero();
    assertThat(registry.remove(handshaking.peer().id())).as("removed already").isNull();
    assertThat(registry.count(ConnectionKind.INBOUND)).isZero();

    Registry.Entry outbound = add(registry, ConnectionKind.OUTBOUND_FULL, HIGH);
    assertThat(registry.outboundWithNonce(outbound.peer().localNonce())).containsSame(outbound);
    registry.remove(outbound.peer().id());
    assertThat(registry.outboundWithNonce(outbound.peer().localNonce())).as("forgotten with its entry").isEmpty();
  }

  /** What ServerState shows follows each entry's identity and activation, in connection order. */
  @Test
  void publishedEntriesFollowIdentityAndActivation() {
    Registry registry = new Registry(LOW);
    Registry.Entry manual = add(registry, ConnectionKind.MANUAL, HIGH);
    Registry.Entry inbound = add(registry, ConnectionKind.INBOUND, null);
    inbound.setIdentity(LOW);
    registry.activate(manual);

    assertThat(registry.published()).containsExactly(
        new ServerState.PeerEntry(manual.peer(), ConnectionKind.MANUAL, HIGH, true),
        new ServerState.PeerEntry(inbound.peer(), ConnectionKind.INBOUND, LOW, false));
  }

  @Test
  void anEntryIsRegisteredOnce() {
    Registry registry = new Registry(LOW);
    Registry.Entry entry = add(registry, ConnectionKind.INBOUND, null);
    assertThatThrownBy(() -> registry.add(entry)).isInstanceOf(IllegalStateException.class);
    assertThat(registry.count(ConnectionKind.INBOUND)).isOne();
  }

  /** disconnectnode's choice: by peer id, by remote or listening address, or by both at once. */
  @Test
  void matchingFindsConnectionsByIdRemoteAddressOrIdentity() {
    Registry registry = new Registry(LOW);
    assertThat(registry.isEmpty()).isTrue();
    Registry.Entry withIdentity = add(registry, ConnectionKind.MANUAL, HIGH, address("10.0.99.1", 5_001));
    Registry.Entry withoutIdentity = add(registry, ConnectionKind.INBOUND, null, address("10.0.99.2", 5_002));
    assertThat(registry.isEmpty()).isFalse();
    long id = withIdentity.peer().id();

    assertThat(registry.matching(Optional.empty(), Optional.empty())).containsExactly(withIdentity, withoutIdentity);
    assertThat(registry.matching(Optional.empty(), Optional.of(id))).containsExactly(withIdentity);
    assertThat(registry.matching(Optional.of(HIGH), Optional.empty())).as("by listening address")
        .containsExactly(withIdentity);
    assertThat(registry.matching(Optional.of(address("10.0.99.2", 5_002)), Optional.empty())).as("by remote address")
        .containsExactly(withoutIdentity);
    assertThat(registry.matching(Optional.of(HIGH), Optional.of(id))).containsExactly(withIdentity);
    assertThat(registry.matching(Optional.of(HIGH), Optional.of(withoutIdentity.peer().id()))).isEmpty();
    assertThat(registry.matching(Optional.of(OTHER), Optional.empty())).isEmpty();
  }

  @Test
  void getAddrIsAnsweredOncePerConnection() {
    Registry.Entry entry = add(new Registry(LOW), ConnectionKind.INBOUND, null);
    assertThat(entry.answerGetAddrOnce()).isTrue();
    assertThat(entry.answerGetAddrOnce()).isFalse();
  }

  private Registry.Entry add(Registry registry, ConnectionKind kind, InetSocketAddress identity) {
    return add(registry, kind, identity, address("10.0.99.1", 40_000 + (int) nextId));
  }

  private Registry.Entry add(Registry registry, ConnectionKind kind, InetSocketAddress identity,
      InetSocketAddress remote) {
    long id = nextId++;
    Registry.Entry entry = new Registry.Entry(new StubPeer(id, kind, remote, 1_000 + id), kind, identity, null, 0, 0);
    registry.add(entry);
    return entry;
  }
}
