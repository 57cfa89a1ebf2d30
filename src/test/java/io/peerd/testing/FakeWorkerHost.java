package io.peerd.testing;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerHost;
import io.peerd.net.Connection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A server as a connection worker sees it, recording what the worker asks. It grants every dial
 * at once or leaves the answers to the test; it can hold the worker inside
 * {@link #requestDial} (a busy worker), and it takes {@code serverLock} while it receives a new
 * connection, as a server guarding its state with a lock would.
 */
public final class FakeWorkerHost implements WorkerHost {
  /** A connection the worker handed over. */
  public record Handed(long attempt, Connection connection) {}

  private final Object lock = new Object();
  private final boolean grantAtOnce;
  private final Object serverLock;
  private final List<Long> requested = new ArrayList<>();
  private final List<Long> failed = new ArrayList<>();
  private final List<Handed> handed = new ArrayList<>();
  private boolean holdRequests;
  private volatile long lastAttempt;

  /** @param serverLock taken while receiving a connection (null: none) */
  public FakeWorkerHost(boolean grantAtOnce, Object serverLock) {
    this.grantAtOnce = grantAtOnce;
    this.serverLock = serverLock;
  }

  @Override
  public void requestDial(ConnectionWorker worker, long attempt, InetSocketAddress address) {
    synchronized (lock) {
      requested.add(attempt);
      lastAttempt = attempt;
      lock.notifyAll();
      while (holdRequests) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    if (grantAtOnce) {
      worker.dialPermitted(attempt);
    }
  }

  @Override
  public void dialSucceeded(ConnectionWorker worker, long attempt, Connection connection) {
    if (serverLock == null) {
      record(attempt, connection);
      return;
    }
    synchronized (serverLock) {
      record(attempt, connection);
    }
  }

  private void record(long attempt, Connection connection) {
    synchronized (lock) {
      handed.add(new Handed(attempt, connection));
    }
  }

  @Override
  public void dialFailed(ConnectionWorker worker, long attempt) {
    synchronized (lock) {
      failed.add(attempt);
    }
  }

  /** From now on the worker waits inside {@link #requestDial} until {@link #releaseRequests}. */
  public void holdRequests() {
    synchronized (lock) {
      holdRequests = true;
    }
  }

  public void releaseRequests() {
    synchronized (lock) {
      holdRequests = false;
      lock.notifyAll();
    }
  }

  /** Waits (untimed) until the worker asked for {@code count} dials. */
  public void awaitRequests(int count) throws InterruptedException {
    synchronized (lock) {
      while (requested.size() < count) {
        lock.wait();
      }
    }
  }

  /** The attempt of the worker's latest dial request, 0 before any. */
  public long lastAttempt() {
    return lastAttempt;
  }

  public List<Long> requested() {
    synchronized (lock) {
      return List.copyOf(requested);
    }
  }

  public List<Long> failed() {
    synchronized (lock) {
      return List.copyOf(failed);
    }
  }

  public List<Handed> handed() {
    synchronized (lock) {
      return List.copyOf(handed);
    }
  }
}
