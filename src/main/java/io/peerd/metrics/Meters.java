package io.peerd.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** How this package registers its meters: each reads its value at scrape time and is held strongly. */
final class Meters {
  private Meters() {}

  /**
   * A counter read from {@code source}, which must never go down; Prometheus adds {@code _total}.
   * The meter holds {@code source} weakly: pass an object the node holds for its life.
   */
  static <T> void counter(MeterRegistry registry, String name, String description, Tags tags, T source,
      ToLongFunction<T> count) {
    FunctionCounter.builder(name, source, s -> count.applyAsLong(s)).description(description).tags(tags)
        .register(registry);
  }

  static void gauge(MeterRegistry registry, String name, String description, Tags tags, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tags(tags).strongReference(true).register(registry);
  }

  /** Label values as Prometheus writes them: lower case, underscores. */
  static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
