/**
 * Prometheus metrics: the {@code --metrics} HTTP endpoint ({@code GET /metrics}, text format, via
 * Micrometer) and the meters that read the node. It owns only its registry and its HTTP thread;
 * every meter reads, at scrape time, a value the node already publishes for other threads
 * (atomic counters, volatile snapshots), so no actor ever waits on a scrape or on a metric. The
 * node hands it those read surfaces ({@link io.peerd.metrics.NodeReadings}); nothing in the node
 * depends on this package but the node's wiring.
 */
package io.peerd.metrics;
