package io.peerd.lifecycle;

import static io.peerd.lifecycle.ModelCheck.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerConfig;
import io.peerd.testing.CountingThreads;
import io.peerd.testing.FakePeer;
import io.peerd.testing.FakeTransport;
import io.peerd.testing.FakeWorkerHost;
import io.peerd.testing.ManualTimers;
import io.peerd.testing.TestNodes;
import io.peerd.testing.TrackedConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Seed 002 under a model checker: one persistent peer's {@link ConnectionWorker}, the real class,
 * behind a fake server ({@link FakeWorkerHost}) and a fake transport, with manual timers. For
 * every explored interleaving of commands, the server's replies, the worker's own dial thread and
 * stop: the worker exits, only one worker thread ever existed, at most one dial was in flight,
 * no timer is left, and every connection a dial produced was handed to the server or closed.
 */
class ConnectionWorkerModelCheckTest {
  static final int SCHEDULES = 300;
  /** Commands and replies per model-checked run, split between a commanding and a replying thread. */
  static final int MODEL_CHECKED_COMMANDS = 200;
  /** Each of the two threads loops 100 times and the worker handles up to 200 messages. */
  static final int LOOP_BOUND = 1_000;
  /** Runs of the same scenario on free-running threads, each with its own random commands. */
  static final int PLAIN_RUNS = 300;
  static final int PLAIN_COMMANDS = 200;
  private static final long PAUSE_NANOS = 5_000;

  private static final InetSocketAddress PEER = new InetSocketAddress(FakePeer.LOOPBACK, 18444);
  private static final List<InetSocketAddress> OTHER_ADDRESSES = List.of(
      new InetSocketAddress(FakePeer.LOOPBACK, 18445), new InetSocketAddress(FakePeer.LOOPBACK, 18446));

  @Test
  void randomCommandsAndRepliesThenStopUnderTheModelChecker() {
    Plan plan = Plan.random(MODEL_CHECKED_COMMANDS, 42); // drawn once: every schedule replays the same commands
    ModelCheck.Outcome outcome = ModelCheck.explore(SCHEDULES, LOOP_BOUND, () -> randomCommands(plan, false));
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void randomCommandsAndRepliesThenStopOnFreeThreads() throws Exception {
    long start = System.nanoTime();
    for (int run = 0; run < PLAIN_RUNS; run++) {
      try {
        randomCommands(Plan.random(PLAIN_COMMANDS, run), true);
      } catch (AssertionError e) {
        throw new AssertionError("plain run " + run + " (its plan's seed): " + e.getMessage(), e);
      }
    }
    System.out.printf("worker: %d plain runs of %d commands in %d ms%n", PLAIN_RUNS, PLAIN_COMMANDS,
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Seed 002's deadlock: the server sends commands while holding its lock, and the worker hands a
   * new connection to the server, which takes that lock. Commands never block, so the holder
   * finishes, lets go, and the worker goes on.
   */
  @Test
  void commandsSentUnderTheServerLockWhileTheWorkerDeliversAConnectionNeverDeadlock() {
    ModelCheck.Outcome outcome = ModelCheck.explore(SCHEDULES, () -> {
      Object serverLock = new Object();
      Rig rig = new Rig(new FakeWorkerHost(true, serverLock), new FakeTransport(i -> true, false));
      rig.worker.start();
      concurrently(
          () -> rig.worker.connect(), // request, grant, dial, connection handed over under serverLock
          () -> {
            synchronized (serverLock) {
              rig.worker.connect();
              rig.worker.standDown();
              rig.worker.updateAddresses(List.of(PEER, OTHER_ADDRESSES.getFirst()));
              rig.worker.connect();
              rig.worker.standDown();
            }
          });
      rig.stopAndCheck();
    });
    assertThat(outcome.failure()).isNull();
  }

  /**
   * A stand-down racing a dial that just connected: the connection is either handed to the server
   * (which owns it from then on) or closed, exactly once, and never both.
   */
  @Test
  void aStandDownRacingASuccessfulDialClosesTheLateConnectionOnce() {
    ModelCheck.Outcome outcome = ModelCheck.explore(SCHEDULES, () -> {
      Rig rig = new Rig(new FakeWorkerHost(true, null), new FakeTransport(i -> true, true));
      rig.worker.start();
      rig.worker.connect();
      FakeTransport.FakeDial dial = rig.transport.awaitDial(0);
      concurrently(() -> dial.release(), () -> rig.worker.standDown());
      rig.stopAndCheck();
      TrackedConnection late = dial.connection();
      boolean handed = rig.host.handed().stream().anyMatch(h -> h.connection() == late);
      check(late == null || handed || late.closes() == 1, "the late connection was neither handed over nor closed");
      check(late == null || !handed || late.closes() == 0, "the connection handed to the server was closed too");
    });
    assertThat(outcome.failure()).isNull();
  }

  /**
   * Random commands and server replies, drawn before the run: the model checker must see the
   * same run every time, and drawing inside it looks like a spin loop to Lincheck.
   *
   * @param commands what the server's thread sends: connect, stand down, new addresses, a timer fires
   * @param replies what the replying thread sends: permit, refuse, connected, ended
   * @param stale per reply, whether it names the attempt before the latest
   * @param flags per command or reply, a coin for its variant
   * @param connects per dial, whether it connects
   * @param grants per dial request, whether the server grants it (else refuses it) at once
   */
  record Plan(int[] commands, int[] replies, boolean[] stale, boolean[] flags, int[] picks, boolean[] connects,
      boolean[] grants) {
    static Plan random(int count, long seed) {
      Random random = new Random(seed);
      int half = count / 2;
      int[] commands = random.ints(half, 0, 4).toArray();
      int[] replies = random.ints(count - half, 0, 4).toArray();
      boolean[] stale = new boolean[count];
      boolean[] flags = new boolean[count];
      boolean[] connects = new boolean[count + 1];
      boolean[] grants = new boolean[count + 1];
      for (int i = 0; i < count; i++) {
        stale[i] = random.nextInt(5) == 0;
        flags[i] = random.nextBoolean();
      }
      for (int i = 0; i < connects.length; i++) {
        connects[i] = random.nextBoolean();
        grants[i] = random.nextInt(4) != 0;
      }
      return new Plan(commands, replies, stale, flags, random.ints(count, 0, 2).toArray(), connects, grants);
    }
  }

  /**
   * A worker that gets the plan's commands and server replies from two threads at once, while
   * its dials connect or fail as planned, then is stopped.
   *
   * @param pause whether senders pause briefly between commands (free threads only)
   */
  static void randomCommands(Plan plan, boolean pause) throws Exception {
    IntPredicate connectsAt = i -> i < plan.connects().length && plan.connects()[i];
    IntPredicate grantsAt = i -> i < plan.grants().length && plan.grants()[i];
    Rig rig = new Rig(new FakeWorkerHost(grantsAt, null), new FakeTransport(connectsAt, false));
    concurrently(
        () -> rig.worker.start(),
        () -> {
          rig.worker.start(); // a second start does nothing
          for (int i = 0; i < plan.commands().length; i++) {
            command(rig, plan, i);
            pause(pause);
          }
        },
        () -> {
          for (int i = 0; i < plan.replies().length; i++) {
            reply(rig, plan, i);
            pause(pause);
          }
        });
    if (pause) {
      rig.stopAndCheck(TestNodes.PROMPTLY);
    } else {
      rig.stopAndCheck();
    }
  }

  /**
   * On free threads, a sender would otherwise finish its commands before the worker handled the
   * first; a few microseconds between commands let them interleave with the worker's work.
   */
  private static void pause(boolean pause) {
    if (pause) {
      LockSupport.parkNanos(PAUSE_NANOS);
    }
  }

  private static void command(Rig rig, Plan plan, int i) {
    switch (plan.commands()[i]) {
      case 0 -> rig.worker.connect();
      case 1 -> rig.worker.standDown();
      case 2 -> rig.worker.updateAddresses(plan.flags()[i] ? List.of(PEER) : List.of(PEER, OTHER_ADDRESSES.get(plan.picks()[i])));
      default -> {
        List<ManualTimers.ManualTimer> timers = rig.timers.all();
        if (!timers.isEmpty()) {
          timers.getLast().fire(); // a cancelled or fired timer does nothing
        }
      }
    }
  }

  /**
   * What the server may say besides answering dial requests (the host answers those): about the
   * latest connection handed over, or (sometimes) about the latest or an older attempt.
   */
  private static void reply(Rig rig, Plan plan, int i) {
    long attempt = plan.stale()[i] ? rig.host.lastAttempt() - plan.picks()[i] : rig.host.lastHandedAttempt();
    boolean flag = plan.flags()[plan.commands().length + i];
    switch (plan.replies()[i]) {
      case 0 -> rig.worker.dialPermitted(attempt);
      case 1 -> rig.worker.dialRefused(attempt, flag);
      case 2 -> rig.worker.attemptConnected(attempt);
      default -> rig.worker.attemptEnded(attempt, flag ? -1 : plan.picks()[i] * 700_000L);
    }
  }

  /** One worker and its fakes, built as the node builds it. */
  static final class Rig {
    final FakeWorkerHost host;
    final FakeTransport transport;
    final ManualTimers timers = new ManualTimers();
    final CountingThreads actorThreads = new CountingThreads();
    final CountingThreads dialThreads = new CountingThreads();
    final ConnectionWorker worker;

    Rig(FakeWorkerHost host, FakeTransport transport) {
      this.host = host;
      this.transport = transport;
      this.worker = new ConnectionWorker(PEER, host, transport, WorkerConfig.defaults(), timers, actorThreads,
          dialThreads, () -> 0, new Random(7), 0);
    }

    /** Under the model checker: it reports a hang itself, so the joins are untimed. */
    void stopAndCheck() throws InterruptedException {
      worker.stop();
      actorThreads.joinAll();
      dialThreads.joinAll();
      checkLeftBehind();
    }

    /** On free threads, where only a bound turns a hang into a failure. */
    void stopAndCheck(Duration bound) throws InterruptedException {
      worker.stop();
      actorThreads.joinAll(bound);
      dialThreads.joinAll(bound);
      checkLeftBehind();
    }

    private void checkLeftBehind() {
      check(actorThreads.created() == 1, actorThreads.created() + " worker threads");
      check(worker.info().phase() == ConnectionWorker.Phase.STOPPED, "phase " + worker.info().phase());
      check(worker.failureCount() == 0, worker.failureCount() + " handler failures");
      check(timers.liveCount() == 0, timers.liveCount() + " timers left");
      check(transport.maxInFlight() <= 1, transport.maxInFlight() + " dials in flight at once");
      Set<Object> handed = new HashSet<>();
      Set<Long> handedAttempts = new HashSet<>();
      for (FakeWorkerHost.Handed h : host.handed()) {
        handed.add(h.connection());
        check(handedAttempts.add(h.attempt()), "two connections handed over for attempt " + h.attempt());
      }
      for (TrackedConnection connection : transport.connections()) {
        check(handed.contains(connection) ? connection.closes() == 0 : connection.closes() == 1,
            connection + (handed.contains(connection) ? " handed over and closed" : " neither handed over nor closed"));
      }
      List<Long> requested = host.requested();
      for (int i = 1; i < requested.size(); i++) {
        check(requested.get(i) > requested.get(i - 1), "attempts requested out of order: " + requested);
      }
    }
  }

  /** Plain checks: AssertJ's objects confuse Lincheck's tracing. */
  static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
