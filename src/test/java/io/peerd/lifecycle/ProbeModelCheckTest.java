package io.peerd.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.actor.Actor;
import io.peerd.actor.Mailbox;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProbeModelCheckTest {
  static class Echo extends Actor<CompletableFuture<Boolean>> {
    Echo() {
      super("echo", new Mailbox(4), ActorSystem.THREADS);
    }

    @Override
    protected void handle(CompletableFuture<Boolean> message) {
      message.complete(true);
    }

    boolean send(CompletableFuture<Boolean> f) {
      return tell(f);
    }
  }

  @Test
  void echo() {
    ModelCheck.Outcome outcome = ModelCheck.explore(50, () -> {
      Echo echo = new Echo();
      echo.start();
      CompletableFuture<Boolean> f = new CompletableFuture<>();
      echo.send(f);
      f.join();
      echo.finishAndStop();
      echo.thread().join();
    });
    assertThat(outcome.failure()).isNull();
  }

  @org.junit.jupiter.api.Disabled
  @Test
  void systemStartStop() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      system.start();
      system.drainAndStop();
    });
    assertThat(outcome.failure()).isNull();
  }

  @org.junit.jupiter.api.Disabled
  @Test
  void systemConnect() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      system.start();
      io.peerd.testing.FakePeer peer = system.connect();
      peer.disconnect("x");
      peer.awaitDone();
      system.drainAndStop();
    });
    assertThat(outcome.failure()).isNull();
  }

  static void stop(Actor<?> actor) throws InterruptedException {
    actor.finishAndStop();
    actor.thread().join();
  }

  @Test
  void chainOnly() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      system.chainActor.start();
      stop(system.chainActor);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void syncOnly() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      system.sync.start();
      stop(system.sync);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void serverOnly() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      system.server.start();
      stop(system.server);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void twoEchoes() {
    ModelCheck.Outcome outcome = ModelCheck.explore(50, () -> {
      Echo a = new Echo();
      Echo b = new Echo();
      a.start();
      b.start();
      stop(a);
      stop(b);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void threeEchoesReverseStop() {
    ModelCheck.Outcome outcome = ModelCheck.explore(50, () -> {
      Echo a = new Echo();
      Echo b = new Echo();
      Echo c = new Echo();
      a.start();
      b.start();
      c.start();
      stop(c);
      stop(b);
      stop(a);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void chainAndSync() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED, ActorSystem.freshChain());
      system.chainActor.start();
      system.sync.start();
      stop(system.sync);
      stop(system.chainActor);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void syncAndServer() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      system.sync.start();
      system.server.start();
      stop(system.server);
      stop(system.sync);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void syncAndEcho() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      Echo echo = new Echo();
      echo.start();
      system.sync.start();
      stop(system.sync);
      stop(echo);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void chainAndEcho() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      ActorSystem system = new ActorSystem(ActorSystem.Wiring.FIXED);
      Echo echo = new Echo();
      system.chainActor.start();
      echo.start();
      stop(echo);
      stop(system.chainActor);
    });
    assertThat(outcome.failure()).isNull();
  }

  @Test
  void echoesStoppedInStartOrder() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      Echo a = new Echo();
      Echo b = new Echo();
      a.start();
      b.start();
      stop(b);
      stop(a);
    });
    assertThat(outcome.failure()).isNull();
  }

  static final class TimedEcho extends Echo {
    final io.peerd.testing.ManualTimers timers;
    volatile Object published;

    TimedEcho(io.peerd.testing.ManualTimers timers) {
      this.timers = timers;
    }

    @Override
    protected void onStart() {
      timers.every(1, () -> { });
      published = java.util.List.copyOf(new java.util.LinkedHashMap<Long, Object>().keySet());
    }
  }

  @Test
  void echoAndTimedEcho() {
    ModelCheck.Outcome outcome = ModelCheck.explore(20, () -> {
      Echo a = new Echo();
      TimedEcho b = new TimedEcho(new io.peerd.testing.ManualTimers());
      a.start();
      b.start();
      stop(b);
      stop(a);
    });
    assertThat(outcome.failure()).isNull();
  }
}
