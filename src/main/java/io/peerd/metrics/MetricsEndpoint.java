package io.peerd.metrics;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's metrics, served while it runs: a Prometheus registry holding the node's meters
 * ({@link PeerMeters}, {@link ChainMeters}, {@link ActorMeters}) and the JVM's and process's,
 * and the {@link MetricsServer} that serves it. Closing it closes the port, its thread, and the
 * GC listener the JVM meters registered.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  private final JvmGcMetrics gcMetrics;
  private final MetricsServer server;

  private MetricsEndpoint(JvmGcMetrics gcMetrics, MetricsServer server) {
    this.gcMetrics = gcMetrics;
    this.server = server;
  }

  /** Registers every meter and serves them on {@code address}; nothing stays open if binding fails. */
  public static MetricsEndpoint start(InetSocketAddress address, NodeReadings node) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PeerMeters.bind(registry, node.server(), node.peers());
    ChainMeters.bind(registry, node);
    ActorMeters.bind(registry, node);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    try {
      MetricsServer server = MetricsServer.start(address, registry);
      log.info("metrics served at http://{}:{}{}", address.getHostString(), server.address().getPort(),
          MetricsServer.PATH);
      return new MetricsEndpoint(gcMetrics, server);
    } catch (IOException | RuntimeException e) {
      gcMetrics.close();
      throw e;
    }
  }

  /** The bound address (its port is the free one picked when asked for port 0). */
  public InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() {
    server.close();
    gcMetrics.close();
  }
}
