/**
 * Block production on a timer: a node that mines on its tip every interval, with no peers and
 * from an empty chain alike (seed 004's fresh leader waited for a height nobody had produced).
 * What one production step does is a {@link io.peerd.produce.IntervalProducer.Step}: mining on
 * the local chain, or proposing through a replicated log.
 */
package io.peerd.produce;
