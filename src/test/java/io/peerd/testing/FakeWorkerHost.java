package io.peerd.testing;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerHost;
import io.peerd.net.Connection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A server as a connection worker sees it, recording what the worker asks. It answers each dial
 * request at once, granting or refusing it as told, or leaves the answers to the test; it can hold the worker inside
 * {@link #requestDial} (a busy worker), and it takes {@code serverLock} while it receives a new
 * connection, as a server guarding its state with a lock would.
 */
public final class FakeWorkerHost implements WorkerHost {
  /** A connection the worker handed over. */
  public record Handed(long attempt, Connection connection) {}

  private final Object lock = new Object();
  /** Per request (0, 1, ...): grant it, else refuse it; null: the test answers. */
  private final IntPredicate grants;
  private final Object serverLock;
  private final List<Long> requested = new ArrayList<>();
  private final List<Long> failed = new ArrayList<>();
  private final List<Handed> handed = new ArrayList<>();
  private boolean holdRequests;
  private volatile long lastAttempt;
  private volatile long lastHandedAttempt;

  /** @param serverLock taken while receiving a connection (null: none) */
  public FakeWorkerHost(boolean grantAtOnce, Object serverLock) {
    this(grantAtOnce ? i -> true : null, serverLock);
  }

  /**
   * @param grants per request (0, 1, ...), whether it is granted at once (else refused at once);
   *     null: the test answers
   * @param serverLock taken while receiving a connection (null: none)
   */
  public FakeWorkerHost(IntPredicate grants, Object serverLock) {
    this.grants = grants;
    this.serverLock = serverLock;
  }

  @Override
  public void requestDial(ConnectionWorker worker, long attempt, InetSocketAddress address) {
    int index;
    synchronized (lock) {
      index = requested.size();
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
    if (grants != null && grants.test(index)) {
      worker.dialPermitted(attempt);
    } else if (grants != null) {
      worker.dialRefused(attempt, false);
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
      lastHandedAttempt = attempt;
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

  /** The attempt of the worker's latest dial request, 0 before any. */
  public long lastAttempt() {
    return lastAttempt;
  }

  /** The attempt of the latest connection handed over, 0 before any. */
  public long lastHandedAttempt() {
    return lastHandedAttempt;
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
