package io.peerd.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Closes what a test opened, last opened first: a field marked {@code @AutoClose}, or closed in
 * {@code @AfterEach}.
 */
public final class Closer implements AutoCloseable {
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** Registers {@code resource} to be closed, and returns it. */
  public <T extends AutoCloseable> T later(T resource) {
    opened.add(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
    opened.clear();
  }
}
