package io.peerd.peer;

/**
 * What getpeerinfo shows of a peer's pings, each -1 when there is nothing to show.
 *
 * @param lastRoundTripNanos the last ping's round trip
 * @param minRoundTripNanos the shortest round trip so far
 * @param waitingNanos how long the outstanding ping has waited for its pong
 */
public record PingTimes(long lastRoundTripNanos, long minRoundTripNanos, long waitingNanos) {}
