/**
 * Prometheus metrics: the {@code --metrics} HTTP endpoint ({@code GET /metrics}, text format, via
 * Micrometer) and the meters that read the node. It owns only its registry and its HTTP thread;
 * every meter reads, at scrape time, a value the node already publishes for other threads
 * (atomic counters, volatile snapshots), so no actor ever waits on a scrape or on a metric. The
 * node hands it those read surfaces ({@link io.peerd.metrics.NodeReadings}); nothing in the node
 * depends on this package but the node's wiring. Bounded: the meters are a fixed set registered
 * at start (about 220 series: one per command, reason, connection type and long-lived actor), and
 * one HTTP thread serves one scrape at a time ({@link io.peerd.metrics.MetricsServer}).
 */
package io.peerd.metrics;
