/**
 * The embedding API: the only supported public API of peerd. A Java service builds a node
 * ({@link io.peerd.api.PeerdNode#builder}), subscribes to its events, starts it, reads its chain
 * and closes it. Every type here is a small immutable value or a handle owned by this package;
 * nothing of peerd's internal packages appears in a signature, and those packages (everything
 * outside {@code io.peerd.api}) may change in any release.
 *
 * <p>Events never slow the node: the node's actors hand each event to each subscription with a
 * non-blocking offer into that subscription's own bounded queue, drained by the subscription's
 * own virtual thread. A full queue drops the new event, counts it, and later delivers a
 * {@link io.peerd.api.NodeEvent.Missed} saying how many were lost at that point (see
 * {@link io.peerd.api.Subscription}).
 */
package io.peerd.api;
