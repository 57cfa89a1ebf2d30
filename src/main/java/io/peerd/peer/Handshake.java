package io.peerd.peer;

import io.peerd.chain.ChainView;
import io.peerd.wire.Message;
import io.peerd.wire.NetworkAddress;
import io.peerd.wire.WireException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version/verack exchange, on the peer's reader thread: our version first on outbound
 * connections; the remote's version must be its first message and pass our checks; the server
 * admits or refuses it (waited for, bounded by the handshake timeout); then sendaddrv2 and our
 * verack, and the remote's verack. The peer publishes what it learns ({@link Peer#versionChecked},
 * {@link Peer#headersPreferred}) and, once the exchange succeeded, completes the handshake.
 */
final class Handshake {
  /** The peer's own logger: a peer's lines are read, and recorded by tests, under one name. */
  private static final Logger log = LoggerFactory.getLogger(Peer.class);

  private final Peer peer;
  private final PeerConfig config;
  private final ChainView chain;
  private final MessageReader reader;
  private final Outbox outbox;
  private final CompletableFuture<Boolean> admission = new CompletableFuture<>();

  Handshake(Peer peer, PeerConfig config, ChainView chain, MessageReader reader, Outbox outbox) {
    this.peer = peer;
    this.config = config;
    this.chain = chain;
    this.reader = reader;
    this.outbox = outbox;
  }

  /** True once the remote's verack arrived; false if the peer closed (or the deadline passed) before admission. */
  boolean exchange() throws IOException, WireException, ProtocolViolation, InterruptedException {
    boolean outbound = peer.kind().isOutbound();
    if (outbound) {
      sendVersion();
    }
    Message.Version remote = receiveVersion();
    peer.versionChecked(remote);
    if (!awaitAdmission()) {
      return false;
    }
    if (!outbound) {
      sendVersion();
    }
    if (remote.protocolVersion() >= PeerConfig.ADDRV2_VERSION) {
      outbox.send(new Message.SendAddrV2());
    }
    outbox.send(new Message.Verack());
    awaitVerack();
    return true;
  }

  /**
   * After the handshake: sendheaders to a remote that knows it (BIP130); to a peer we relay
   * addresses with, our own listening address (so the network learns where to find us), and
   * getaddr if we dialed it.
   */
  void sendAfterVerack(Message.Version remote) {
    if (remote.protocolVersion() >= PeerConfig.SENDHEADERS_VERSION) {
      outbox.send(new Message.SendHeaders());
    }
    ConnectionKind kind = peer.kind();
    if (!kind.relaysAddresses()) {
      return;
    }
    ourListeningAddress().ifPresent(ours -> outbox.send(new Message.Addr(List.of(
        new Message.TimedAddress(System.currentTimeMillis() / 1000, NetworkAddress.of(ours, config.services()))))));
    if (kind.isOutbound()) {
      outbox.send(new Message.GetAddr());
      peer.getAddrSent();
    }
  }

  /** Where we listen, as this connection reaches us when we listen on every interface. */
  private Optional<InetSocketAddress> ourListeningAddress() {
    InetSocketAddress advertised = config.advertisedAddress();
    if (advertised == null || advertised.getPort() == 0) {
      return Optional.empty();
    }
    return Optional.of(advertised.getAddress().isAnyLocalAddress()
        ? new InetSocketAddress(peer.localAddress().getAddress(), advertised.getPort()) : advertised);
  }

  /** The server accepted the remote's version. */
  void admit() {
    admission.complete(true);
  }

  /** The peer closed: a wait for admission ends, refused. */
  void abandon() {
    admission.complete(false);
  }

  private Message.Version receiveVersion() throws IOException, WireException, ProtocolViolation {
    Message first = reader.nextMessage();
    if (!(first instanceof Message.Version remote)) {
      throw new ProtocolViolation(Peer.DISCOURAGE_SCORE / 10, "first message was " + first.command() + ", not version");
    }
    checkVersion(remote);
    return remote;
  }

  private void checkVersion(Message.Version remote) throws ProtocolViolation {
    if (remote.protocolVersion() < PeerConfig.MIN_PEER_PROTOCOL_VERSION) {
      throw new ProtocolViolation(0, "obsolete protocol version " + remote.protocolVersion());
    }
    if (peer.kind().isOutbound() && !Services.hasAll(remote.services(), Services.REQUIRED_OUTBOUND)) {
      throw new ProtocolViolation(0, "outbound peer lacks full-node and witness services: " + remote.services());
    }
  }

  /** True once admitted; false if the peer closed (or the deadline passed) first. */
  private boolean awaitAdmission() throws InterruptedException {
    try {
      return admission.get(config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private void awaitVerack() throws IOException, WireException, InterruptedException {
    while (true) {
      Message message = reader.nextMessage();
      switch (message) {
        case Message.Verack v -> {
          return;
        }
        case Message.SendHeaders s -> peer.headersPreferred();
        case Message.Ping p -> outbox.send(new Message.Pong(p.nonce()));
        default -> log.debug("peer {}: ignoring {} before verack", peer.id(), message.command());
      }
    }
  }

  private void sendVersion() {
    Message.Version ours = new Message.Version(PeerConfig.PROTOCOL_VERSION, config.services(),
        System.currentTimeMillis() / 1000, NetworkAddress.of(peer.remoteAddress(), 0), advertisedAddress(),
        peer.localNonce(), config.userAgent(), chain.snapshot().tipHeight(), false, true);
    outbox.send(ours);
  }

  private NetworkAddress advertisedAddress() {
    InetSocketAddress advertised = config.advertisedAddress();
    return advertised == null ? new NetworkAddress(config.services(), new byte[16], 0)
        : NetworkAddress.of(advertised, config.services());
  }
}
