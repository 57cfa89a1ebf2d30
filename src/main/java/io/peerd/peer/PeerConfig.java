package io.peerd.peer;

import io.peerd.chain.NetworkParameters;
import java.net.InetSocketAddress;

/**
 * How every peer behaves: protocol identity, timeouts and byte bounds.
 *
 * @param advertisedAddress our listening address, sent as the version's sender so two peerd
 *     nodes can recognise each other's connections (null: not listening or unknown)
 * @param checkIntervalMillis how often idle and ping deadlines are checked (their granularity)
 * @param sendQueueCapacityBytes a peer whose unsent frames would pass this is disconnected
 * @param servePauseBytes serving getdata waits until fewer bytes than this are unsent
 * @param inboundBudgetBytes what a peer may have forwarded to actors and not yet handled
 * @param inboundMinimumCostBytes what each forwarded message costs at least (caps the count)
 */
public record PeerConfig(
    NetworkParameters params,
    long services,
    String userAgent,
    InetSocketAddress advertisedAddress,
    long handshakeTimeoutMillis,
    long pingIntervalMillis,
    long pingTimeoutMillis,
    long idleTimeoutMillis,
    long checkIntervalMillis,
    long sendQueueCapacityBytes,
    long servePauseBytes,
    long inboundBudgetBytes,
    long inboundMinimumCostBytes) {

  /** The protocol version we speak (70016: wtxidrelay; we relay no transactions). */
  public static final int PROTOCOL_VERSION = 70016;
  /** Older peers are disconnected (70002: the oldest Bitcoin Core still accepts). */
  public static final int MIN_PEER_PROTOCOL_VERSION = 70002;
  /** BIP130 sendheaders. */
  public static final int SENDHEADERS_VERSION = 70012;
  /** BIP155 sendaddrv2 and BIP339 wtxidrelay are sent between version and verack from here on. */
  public static final int ADDRV2_VERSION = 70016;
  public static final String USER_AGENT = "/peerd:0.1.0/";

  public PeerConfig {
    if (handshakeTimeoutMillis <= 0 || pingIntervalMillis <= 0 || pingTimeoutMillis <= 0 || idleTimeoutMillis <= 0
        || checkIntervalMillis <= 0) {
      throw new IllegalArgumentException("timeouts and intervals must be positive");
    }
    if (servePauseBytes > sendQueueCapacityBytes || inboundMinimumCostBytes > inboundBudgetBytes) {
      throw new IllegalArgumentException("pause and cost thresholds must lie within their caps");
    }
  }

  /** Bitcoin Core's timeouts: handshake 60 s, ping every 2 min answered within 20 min, idle 5 min. */
  public static PeerConfig defaults(NetworkParameters params, InetSocketAddress advertisedAddress) {
    return new PeerConfig(params, Services.NODE_NETWORK | Services.NODE_WITNESS, USER_AGENT, advertisedAddress,
        60_000, 120_000, 1_200_000, 300_000, 1_000,
        32L << 20, 1L << 20, 8L << 20, 64L << 10);
  }

  public PeerConfig withAdvertisedAddress(InetSocketAddress address) {
    return new PeerConfig(params, services, userAgent, address, handshakeTimeoutMillis, pingIntervalMillis,
        pingTimeoutMillis, idleTimeoutMillis, checkIntervalMillis, sendQueueCapacityBytes, servePauseBytes,
        inboundBudgetBytes, inboundMinimumCostBytes);
  }

  /** Messages a peer may have forwarded and not yet handled: its share of an actor's mailbox. */
  public int maxForwardedMessages() {
    return (int) (inboundBudgetBytes / inboundMinimumCostBytes);
  }

  public PeerConfig withTimeouts(long handshakeMillis, long pingIntervalMillis, long pingTimeoutMillis,
      long idleMillis, long checkIntervalMillis) {
    return new PeerConfig(params, services, userAgent, advertisedAddress, handshakeMillis, pingIntervalMillis,
        pingTimeoutMillis, idleMillis, checkIntervalMillis, sendQueueCapacityBytes, servePauseBytes,
        inboundBudgetBytes, inboundMinimumCostBytes);
  }
}
