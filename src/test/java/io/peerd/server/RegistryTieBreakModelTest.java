package io.peerd.server;

import static io.peerd.server.RegistryFakes.address;
import static io.peerd.server.RegistryFakes.worker;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.peer.ConnectionKind;
import io.peerd.testing.StubPeer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The class doc's claim about two nodes that dial each other at the same time, checked on every
 * interleaving: two {@link Registry}s (node 0 and node 1, each knowing the other's listening
 * address), each dialing the other once or twice (a new attempt once the last one is over). The
 * server's few lines around the registry (dial grant, dial end, version admission, displacement,
 * refusal) are modelled here as the server does them; the network may deliver and close in any
 * order. After every step at most one connection is accepted and open at both ends, and at most
 * one ever was (an established connection is never replaced); when nothing is left to happen
 * exactly one connection is up, and both registries hold it and nothing else.
 */
class RegistryTieBreakModelTest {

  /** Stands for "no connection is up" among the outcomes. */
  private static final int NONE_UP = -1;

  /** How a node dials: through a persistent peer's worker, or a one-shot dial (address book). */
  enum DialKind { WORKER, ONE_SHOT }

  @ParameterizedTest(name = "node 0 at {0}, node 1 at {1}; node 0 dials by {2}, node 1 by {3}; {4} attempts each")
  @CsvSource({
      "10.0.0.1:18444, 10.0.0.2:18444, WORKER,   WORKER,   1",
      "10.0.0.2:18444, 10.0.0.1:18444, WORKER,   WORKER,   1",
      "10.0.0.1:18444, 10.0.0.1:18445, WORKER,   WORKER,   1",
      "10.0.0.1:18444, 10.0.0.2:18444, ONE_SHOT, WORKER,   1",
      "10.0.0.1:18444, 10.0.0.2:18444, WORKER,   ONE_SHOT, 1",
      "10.0.0.1:18444, 10.0.0.2:18444, ONE_SHOT, ONE_SHOT, 1",
      "10.0.0.2:18444, 10.0.0.1:18444, ONE_SHOT, WORKER,   1",
      "10.0.0.1:18444, 10.0.0.2:18444, WORKER,   WORKER,   2",
      "10.0.0.2:18444, 10.0.0.1:18444, WORKER,   WORKER,   2",
      "10.0.0.1:18444, 10.0.0.2:18444, ONE_SHOT, WORKER,   2",
      "10.0.0.1:18444, 10.0.0.2:18444, WORKER,   ONE_SHOT, 2"})
  void bothEndsAgreeOnAtMostOneConnectionInEveryInterleaving(String first, String second, DialKind firstDial,
      DialKind secondDial, int attempts) {
    InetSocketAddress[] addresses = {
        io.peerd.net.HostPort.parse(first, 0), io.peerd.net.HostPort.parse(second, 0)};
    DialKind[] dialKinds = {firstDial, secondDial};
    Explorer explorer = new Explorer(addresses, dialKinds, attempts);
    explorer.explore(new ArrayList<>());
    assertThat(explorer.seen).as("distinct states explored").hasSizeGreaterThan(90);
    assertThat(explorer.winners).as("which dial ends up as the connection depends on the order")
        .containsExactlyInAnyOrder(0, 1);
  }

  @ParameterizedTest(name = "{0} attempts each")
  @CsvSource({"1", "2"})
  void withoutOwnAddressesNeverTwoConnectionsButBothMayBeRefused(int attempts) {
    InetSocketAddress[] addresses = {address("10.0.0.1", 18444), address("10.0.0.2", 18444)};
    Explorer explorer = new Explorer(addresses, new DialKind[] {DialKind.WORKER, DialKind.WORKER}, attempts, false);
    explorer.explore(new ArrayList<>());
    assertThat(explorer.winners)
        .as("each end keeps the connection it saw first, so simultaneous dials can both be refused (%d); "
            + "the workers' jittered retries then break the tie", NONE_UP)
        .containsExactlyInAnyOrder(NONE_UP, 0, 1);
  }

  /** Depth-first over event orders, replaying each prefix on fresh registries; states seen are pruned. */
  private static final class Explorer {
    private final InetSocketAddress[] addresses;
    private final DialKind[] dialKinds;
    private final int attempts;
    private final Set<String> seen = new HashSet<>();
    /** The dialers of the connections left up when nothing more could happen, or {@link #NONE_UP}. */
    final Set<Integer> winners = new HashSet<>();

    private final boolean ownAddressesKnown;

    Explorer(InetSocketAddress[] addresses, DialKind[] dialKinds, int attempts) {
      this(addresses, dialKinds, attempts, true);
    }

    Explorer(InetSocketAddress[] addresses, DialKind[] dialKinds, int attempts, boolean ownAddressesKnown) {
      this.addresses = addresses;
      this.dialKinds = dialKinds;
      this.attempts = attempts;
      this.ownAddressesKnown = ownAddressesKnown;
    }

    void explore(List<Event> path) {
      World world = new World(addresses, dialKinds, attempts, ownAddressesKnown);
      for (Event event : path) {
        world.apply(event);
        world.checkSafety(path);
      }
      if (!seen.add(world.key())) {
        return;
      }
      List<Event> enabled = world.enabled();
      if (enabled.isEmpty()) {
        winners.add(world.checkQuiescent(path, ownAddressesKnown));
        return;
      }
      for (Event event : enabled) {
        path.add(event);
        explore(path);
        path.removeLast();
      }
    }
  }

  enum Step {
    /** The dialer's server grants (registers) the dial, or refuses it. */
    GRANT,
    /** The dialer's TCP connect completes: its server starts the peer, which sends its version. */
    CONNECT,
    /** The listener accepts the TCP connection. */
    ACCEPT,
    /** The dialer's version reaches the listener, whose server admits or refuses it. */
    VERSION_AT_LISTENER,
    /** The listener's version (sent once admitted) reaches the dialer, whose server admits or refuses it. */
    VERSION_AT_DIALER,
    /** The dialer's end sees the listener's end closed. */
    CLOSE_SEEN_BY_DIALER,
    /** The listener's end sees the dialer's end closed. */
    CLOSE_SEEN_BY_LISTENER,
    /** The dialer's peer is done: its server forgets it. */
    REMOVE_AT_DIALER,
    /** The listener's peer is done: its server forgets it. */
    REMOVE_AT_LISTENER
  }

  /** {@code step} on connection {@code connection} (see {@link World#connections}). */
  record Event(int connection, Step step) {}

  /** One end of a connection, in one node's registry. */
  private static final class End {
    final Registry.Entry entry;
    boolean versionSeen;
    boolean accepted;
    boolean closed;
    boolean removed;

    End(Registry.Entry entry) {
      this.entry = entry;
    }

    boolean open() {
      return !closed;
    }
  }

  /** The connection dialed by node {@code dialer} in its attempt {@code attempt} (from 1). */
  private static final class Connection {
    final int dialer;
    final long attempt;
    boolean grantTried;
    boolean granted;
    /** The dial was cancelled (or found the peer connected) when it completed: closed at once. */
    boolean dropped;
    End dialerEnd;
    End listenerEnd;
    boolean versionToListener;
    boolean versionToDialer;

    Connection(int dialer, long attempt) {
      this.dialer = dialer;
      this.attempt = attempt;
    }

    /** The dialer is done with this attempt and may dial again. */
    boolean finished() {
      return (grantTried && !granted) || dropped || (dialerEnd != null && dialerEnd.removed);
    }

    @Override
    public String toString() {
      return "node " + dialer + " attempt " + attempt;
    }

    boolean dialerClosed() {
      return dropped || (dialerEnd != null && dialerEnd.closed);
    }

    boolean listenerClosed() {
      return listenerEnd != null && listenerEnd.closed;
    }

    boolean up() {
      return dialerEnd != null && listenerEnd != null && dialerEnd.accepted && listenerEnd.accepted
          && dialerEnd.open() && listenerEnd.open();
    }
  }

  private static final class World {
    private final InetSocketAddress[] addresses;
    private final DialKind[] dialKinds;
    private final Registry[] registries = new Registry[2];
    private final ConnectionWorker[] workers = new ConnectionWorker[2];
    /** Node 0's attempts in order, then node 1's. */
    private final Connection[] connections;
    private long nextPeerId = 1;
    /** Connections whose handshake completed (bit per index in {@link #connections}). */
    private int everUp;

    World(InetSocketAddress[] addresses, DialKind[] dialKinds, int attempts, boolean ownAddressesKnown) {
      this.addresses = addresses;
      this.dialKinds = dialKinds;
      this.connections = new Connection[2 * attempts];
      for (int node = 0; node < 2; node++) {
        registries[node] = new Registry(ownAddressesKnown ? addresses[node] : null);
        workers[node] = worker(addresses[1 - node]);
        for (int attempt = 1; attempt <= attempts; attempt++) {
          connections[node * attempts + attempt - 1] = new Connection(node, attempt);
        }
      }
    }

    List<Event> enabled() {
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < connections.length; i++) {
        for (Step step : Step.values()) {
          if (isEnabled(i, step)) {
            events.add(new Event(i, step));
          }
        }
      }
      return events;
    }

    private boolean isEnabled(int index, Step step) {
      Connection c = connections[index];
      return switch (step) {
        case GRANT -> !c.grantTried && (c.attempt == 1 || connections[index - 1].finished());
        case CONNECT -> c.granted && c.dialerEnd == null && !c.dropped;
        case ACCEPT -> c.granted && c.listenerEnd == null;
        case VERSION_AT_LISTENER -> c.versionToListener && c.listenerEnd != null && c.listenerEnd.open()
            && !c.listenerEnd.versionSeen;
        case VERSION_AT_DIALER -> c.versionToDialer && c.dialerEnd.open() && !c.dialerEnd.versionSeen;
        case CLOSE_SEEN_BY_DIALER -> c.dialerEnd != null && c.dialerEnd.open() && c.listenerClosed();
        case CLOSE_SEEN_BY_LISTENER -> c.listenerEnd != null && c.listenerEnd.open() && c.dialerClosed();
        case REMOVE_AT_DIALER -> c.dialerEnd != null && c.dialerEnd.closed && !c.dialerEnd.removed;
        case REMOVE_AT_LISTENER -> c.listenerEnd != null && c.listenerEnd.closed && !c.listenerEnd.removed;
      };
    }

    void apply(Event event) {
      Connection c = connections[event.connection()];
      int dialer = c.dialer;
      int listener = 1 - dialer;
      InetSocketAddress target = addresses[listener];
      switch (event.step()) {
        case GRANT -> grant(c, dialer, target);
        case CONNECT -> connect(c, dialer, target);
        case ACCEPT -> c.listenerEnd = newEnd(listener, ConnectionKind.INBOUND, null, null, 0);
        case VERSION_AT_LISTENER -> {
          c.listenerEnd.versionSeen = true;
          c.listenerEnd.entry.setIdentity(addresses[dialer]); // the version's sender is the dialer's listening address
          if (admit(listener, c.listenerEnd)) {
            c.versionToDialer = true;
          }
        }
        case VERSION_AT_DIALER -> {
          c.dialerEnd.versionSeen = true;
          admit(dialer, c.dialerEnd);
        }
        case CLOSE_SEEN_BY_DIALER -> c.dialerEnd.closed = true;
        case CLOSE_SEEN_BY_LISTENER -> c.listenerEnd.closed = true;
        case REMOVE_AT_DIALER -> remove(dialer, c.dialerEnd);
        case REMOVE_AT_LISTENER -> remove(listener, c.listenerEnd);
      }
      for (int i = 0; i < connections.length; i++) {
        if (connections[i].up()) {
          everUp |= 1 << i;
        }
      }
    }

    /** PersistentPeers.grantDial / DialPolicy, and OutboundSlots' check for one-shot dials. */
    private void grant(Connection c, int dialer, InetSocketAddress target) {
      c.grantTried = true;
      Registry registry = registries[dialer];
      if (registry.hasLive(target) || registry.isDialing(target)) {
        return;
      }
      boolean oneShot = dialKinds[dialer] == DialKind.ONE_SHOT;
      registry.startDial(target, oneShot ? null : workers[dialer], oneShot ? 0 : c.attempt);
      c.granted = true;
    }

    /** PersistentPeers.dialConnected / OutboundSlots.dialEnded: the peer starts and sends its version. */
    private void connect(Connection c, int dialer, InetSocketAddress target) {
      Registry registry = registries[dialer];
      if (dialKinds[dialer] == DialKind.WORKER) {
        if (registry.endDial(workers[dialer], c.attempt).isEmpty()) {
          c.dropped = true;
          return;
        }
        c.dialerEnd = newEnd(dialer, ConnectionKind.MANUAL, target, workers[dialer], c.attempt);
      } else {
        registry.endOneShotDial(target);
        if (registry.hasLive(target)) {
          c.dropped = true;
          return;
        }
        c.dialerEnd = newEnd(dialer, ConnectionKind.OUTBOUND_FULL, target, null, 0);
      }
      c.versionToListener = true;
    }

    private End newEnd(int node, ConnectionKind kind, InetSocketAddress identity, ConnectionWorker worker,
        long attempt) {
      long id = nextPeerId++;
      StubPeer peer = new StubPeer(id, kind, addresses[1 - node], id);
      Registry.Entry entry = new Registry.Entry(peer, kind, identity, worker, attempt, 0);
      registries[node].add(entry);
      return new End(entry);
    }

    /** Server.admitVersion and displace. */
    private boolean admit(int node, End end) {
      switch (registries[node].admit(end.entry)) {
        case Registry.Admission.Refuse refuse -> {
          end.closed = true;
          return false;
        }
        case Registry.Admission.Accept accept -> {
          for (Registry.Displaced displaced : accept.displaced()) {
            switch (displaced) {
              case Registry.Displaced.Connection d -> endOf(node, d.peer().id()).closed = true;
              case Registry.Displaced.Dial d -> registries[node].endDial(d.worker(), d.attempt());
            }
          }
          end.accepted = true;
          return true;
        }
      }
    }

    private End endOf(int node, long peerId) {
      for (Connection c : connections) {
        for (End end : new End[] {c.dialerEnd, c.listenerEnd}) {
          if (end != null && end.entry.peer().id() == peerId && registries[node].get(peerId) == end.entry) {
            return end;
          }
        }
      }
      throw new AssertionError("displaced peer " + peerId + " is not in node " + node + "'s registry");
    }

    private void remove(int node, End end) {
      assertThat(registries[node].remove(end.entry.peer().id())).isSameAs(end.entry);
      end.removed = true;
    }

    void checkSafety(List<Event> path) {
      long up = java.util.Arrays.stream(connections).filter(Connection::up).count();
      assertThat(up).as("connections up at once after %s", describe(path)).isLessThanOrEqualTo(1);
      assertThat(Integer.bitCount(everUp)).as("handshakes completed after %s", describe(path)).isLessThanOrEqualTo(1);
    }

    String describe(List<Event> path) {
      return path.stream().map(e -> connections[e.connection()] + ": " + e.step()).toList().toString();
    }

    /** The dialer of the connection that is up, or {@link #NONE_UP} (allowed only if {@code upRequired} is false). */
    int checkQuiescent(List<Event> path, boolean upRequired) {
      Optional<Connection> up = java.util.Arrays.stream(connections).filter(Connection::up).findFirst();
      if (up.isEmpty() && !upRequired) {
        for (int node = 0; node < 2; node++) {
          assertThat(registries[node].entries()).as("node %d's entries at the end of %s", node, describe(path)).isEmpty();
        }
        return NONE_UP;
      }
      assertThat(up).as("a connection is up at the end of %s", describe(path)).isPresent();
      Connection c = up.get();
      for (int node = 0; node < 2; node++) {
        End end = node == c.dialer ? c.dialerEnd : c.listenerEnd;
        assertThat(registries[node].entries()).as("node %d's entries at the end of %s", node, describe(path))
            .containsExactly(end.entry);
        assertThat(end.entry.identity()).isEqualTo(addresses[1 - node]);
        assertThat(registries[node].isDialing(addresses[1 - node])).isFalse();
      }
      return c.dialer;
    }

    /** Everything that decides what may happen next. */
    String key() {
      StringBuilder key = new StringBuilder().append(everUp);
      for (Connection c : connections) {
        key.append('|').append(c.grantTried).append(c.granted).append(c.dropped).append(c.versionToListener)
            .append(c.versionToDialer);
        for (End end : new End[] {c.dialerEnd, c.listenerEnd}) {
          key.append(end == null ? "-" : "" + end.versionSeen + end.accepted + end.closed + end.removed
              + (end.entry.identity() != null));
        }
      }
      for (int node = 0; node < 2; node++) {
        key.append('|').append(registries[node].isDialing(addresses[1 - node]));
      }
      return key.toString();
    }
  }
}
