package io.peerd.peer;

import io.peerd.actor.Timers;
import io.peerd.wire.Message;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * A peer's two timers: the handshake deadline, armed at start, and once the handshake is done the
 * periodic check, on the timer thread, that disconnects an idle peer or one whose pong is overdue
 * and sends the next ping when due. Both are cancelled when the peer closes. One lock guards the
 * two timers and the ended flag, so a timer armed as the peer closes is cancelled, never left
 * behind; nothing under it blocks (arming or cancelling a timer only touches the timer queue).
 */
final class Liveness {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PeerHandle peer;
  private final PeerConfig config;
  private final Timers timers;
  private final PeerStats stats;
  private final PingState ping = new PingState();
  private final Object timerLock = new Object();
  private Timers.Timer handshakeTimer;
  private Timers.Timer checkTimer;
  private boolean ended;

  Liveness(PeerHandle peer, PeerConfig config, Timers timers, PeerStats stats) {
    this.peer = peer;
    this.config = config;
    this.timers = timers;
    this.stats = stats;
  }

  /** Arms the handshake deadline, unless the peer has already closed. */
  void start() {
    synchronized (timerLock) {
      if (!ended) {
        handshakeTimer = timers.once(config.handshakeTimeoutMillis(),
            () -> peer.disconnect(DisconnectReason.HANDSHAKE_TIMEOUT, ""));
      }
    }
  }

  /** Swaps the handshake deadline for the periodic check; false if the peer closed first. */
  boolean handshakeCompleted() {
    synchronized (timerLock) {
      if (ended) {
        return false;
      }
      handshakeTimer.cancel();
      checkTimer = timers.every(config.checkIntervalMillis(), this::check);
      return true;
    }
  }

  /** Cancels both timers for good: none is armed after this. */
  void end() {
    synchronized (timerLock) {
      ended = true;
      if (handshakeTimer != null) {
        handshakeTimer.cancel();
      }
      if (checkTimer != null) {
        checkTimer.cancel();
      }
    }
  }

  void pongReceived(long nonce) {
    ping.pongReceived(nonce, System.nanoTime());
  }

  PingTimes pingTimes() {
    return ping.times(System.nanoTime());
  }

  void requestPing() {
    ping.queue();
  }

  private void check() {
    long now = System.nanoTime();
    long idleMillis = TimeUnit.NANOSECONDS.toMillis(now - stats.lastReceivedNanos());
    if (idleMillis >= config.idleTimeoutMillis()) {
      peer.disconnect(DisconnectReason.UNRESPONSIVE, "idle for " + idleMillis + " ms");
      return;
    }
    if (ping.overdue(now, config.pingTimeoutMillis())) {
      peer.disconnect(DisconnectReason.UNRESPONSIVE, "no pong within " + config.pingTimeoutMillis() + " ms");
      return;
    }
    ping.nextPingNonce(now, config.pingIntervalMillis(), RANDOM).ifPresent(nonce -> peer.send(new Message.Ping(nonce)));
  }
}
