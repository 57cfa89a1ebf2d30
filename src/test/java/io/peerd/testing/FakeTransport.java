package io.peerd.testing;

import io.peerd.net.Connection;
import io.peerd.net.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * A {@link Transport} whose dials connect to nothing: each connects or fails at once (chosen per
 * dial), or, when held, waits until the test {@link FakeDial#release releases} it. Cancelling
 * honours the transport contract as {@code TcpTransport} does: a connect in progress fails, and
 * a connection already produced is closed. Counts the dials in flight (created, neither returned
 * from connect nor cancelled) and their maximum. One monitor guards everything, which a model
 * checker schedules exactly.
 */
public final class FakeTransport implements Transport {
  private final Object lock = new Object();
  private final List<FakeDial> dials = new ArrayList<>();
  private final IntPredicate connects;
  private final boolean holdConnects;
  private int inFlight;
  private int maxInFlight;

  /**
   * @param connects whether the dial with this index (0, 1, ...) connects (else it is refused)
   * @param holdConnects whether connect waits for {@link FakeDial#release}
   */
  public FakeTransport(IntPredicate connects, boolean holdConnects) {
    this.connects = connects;
    this.holdConnects = holdConnects;
  }

  @Override
  public Listener listen(InetSocketAddress bindAddress, Consumer<Connection> onAccept) {
    throw new UnsupportedOperationException("a fake transport does not listen");
  }

  @Override
  public Dial dial(InetSocketAddress remote) {
    synchronized (lock) {
      FakeDial dial = new FakeDial(remote, connects.test(dials.size()));
      dials.add(dial);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      lock.notifyAll();
      return dial;
    }
  }

  public List<FakeDial> dials() {
    synchronized (lock) {
      return List.copyOf(dials);
    }
  }

  /** Waits (untimed: a model checker reports a hang) for the dial with this index (0 is the first). */
  public FakeDial awaitDial(int index) throws InterruptedException {
    synchronized (lock) {
      while (dials.size() <= index) {
        lock.wait();
      }
      return dials.get(index);
    }
  }

  public int maxInFlight() {
    synchronized (lock) {
      return maxInFlight;
    }
  }

  /** Every connection a dial produced. */
  public List<TrackedConnection> connections() {
    synchronized (lock) {
      return dials.stream().map(d -> d.connection).filter(c -> c != null).toList();
    }
  }

  /** One dial. */
  public final class FakeDial implements Dial {
    private final InetSocketAddress remote;
    private final boolean connectsOk;
    private boolean released;
    private boolean cancelled;
    private boolean resolved;
    private TrackedConnection connection;

    private FakeDial(InetSocketAddress remote, boolean connectsOk) {
      this.remote = remote;
      this.connectsOk = connectsOk;
    }

    public InetSocketAddress remote() {
      return remote;
    }

    @Override
    public Connection connect(int timeoutMillis) throws IOException {
      synchronized (lock) {
        try {
          while (holdConnects && !released && !cancelled) {
            lock.wait();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SocketException("interrupted");
        }
        resolve();
        if (cancelled) {
          throw new SocketException("dial to " + remote + " cancelled");
        }
        if (!connectsOk) {
          throw new ConnectException("connection to " + remote + " refused");
        }
        connection = new TrackedConnection(remote);
        return connection;
      }
    }

    @Override
    public void cancel() {
      synchronized (lock) {
        if (cancelled) {
          return;
        }
        cancelled = true;
        resolve();
        if (connection != null) {
          connection.close();
        }
        lock.notifyAll();
      }
    }

    /** Lets a held connect return. */
    public void release() {
      synchronized (lock) {
        released = true;
        lock.notifyAll();
      }
    }

    public boolean cancelled() {
      synchronized (lock) {
        return cancelled;
      }
    }

    /** The connection this dial produced, null if none (yet). */
    public TrackedConnection connection() {
      synchronized (lock) {
        return connection;
      }
    }

    private void resolve() {
      if (!resolved) {
        resolved = true;
        inFlight--;
      }
    }
  }
}
