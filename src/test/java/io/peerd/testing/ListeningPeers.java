package io.peerd.testing;

import io.peerd.chain.NetworkParameters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Regtest peers for a node to dial, one listener per network group (127.N.0.1, free port), each
 * completing every handshake and staying connected; a dial the node closes during the handshake
 * (a feeler) is counted per listener. Closing stops the listeners and every connection.
 */
public final class ListeningPeers implements AutoCloseable {
  private static final int ACCEPT_POLL_MILLIS = 200;

  private final List<RawPeer.Listener> listeners = new ArrayList<>();
  private final ConcurrentLinkedQueue<RawPeer> connected = new ConcurrentLinkedQueue<>();
  private final Map<InetSocketAddress, AtomicInteger> closedInHandshake = new ConcurrentHashMap<>();
  private final SpawnedThreads acceptors = new SpawnedThreads();

  /** {@code count} listeners on 127.{firstGroup}.0.1, 127.{firstGroup + 1}.0.1, ... */
  public ListeningPeers(int firstGroup, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      InetAddress ip = InetAddress.getByAddress(new byte[] {127, (byte) (firstGroup + i), 0, 1});
      RawPeer.Listener listener = RawPeer.listen(ip, NetworkParameters.REGTEST.magic());
      listeners.add(listener);
      closedInHandshake.put(listener.address(), new AtomicInteger());
      acceptors.spawn("accept " + listener.address(), () -> acceptAll(listener));
    }
  }

  public List<InetSocketAddress> addresses() {
    return listeners.stream().map(RawPeer.Listener::address).toList();
  }

  /** Dials to {@code address} that the node closed before the handshake ended. */
  public int closedInHandshake(InetSocketAddress address) {
    return closedInHandshake.get(address).get();
  }

  private void acceptAll(RawPeer.Listener listener) {
    while (!listener.isClosed()) {
      Optional<RawPeer> dialed;
      try {
        dialed = listener.acceptWithin(ACCEPT_POLL_MILLIS);
      } catch (IOException closed) {
        return;
      }
      dialed.ifPresent(peer -> handshake(listener, peer));
    }
  }

  private void handshake(RawPeer.Listener listener, RawPeer peer) {
    connected.add(peer);
    try {
      peer.handshakeAsListener();
    } catch (IOException | AssertionError closedEarly) {
      closedInHandshake.get(listener.address()).incrementAndGet();
    }
  }

  @Override
  public void close() throws Exception {
    for (RawPeer.Listener listener : listeners) {
      listener.close();
    }
    acceptors.joinAll(Duration.ofSeconds(10));
    for (RawPeer peer : connected) {
      peer.close();
    }
  }
}
