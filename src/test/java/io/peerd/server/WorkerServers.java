package io.peerd.server;

import io.peerd.actor.Mailbox;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.chain.NetworkParameters;
import io.peerd.net.Transport;
import io.peerd.testing.CountingThreads;
import io.peerd.testing.ManualTimers;
import io.peerd.testing.NoDns;
import io.peerd.testing.NoSync;
import io.peerd.testing.TestChains;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * A real server listening on 127.0.0.1:18444 (on paper: no socket is opened) with persistent
 * peers and real workers, for tests where no dial connects and the sync manager plays no part.
 */
final class WorkerServers {
  private WorkerServers() {}

  static ServerConfig config(List<InetSocketAddress> persistentPeers) {
    return ServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 18_444), persistentPeers,
        true);
  }

  static Server create(ServerConfig config, Transport transport, Server.WorkerFactory workers, ManualTimers timers,
      CountingThreads threads, LongSupplier clockMillis) {
    return new Server(config, new NoSync(), TestChains.fresh().view(),
        new InitialBlockDownload(NetworkParameters.REGTEST, () -> 0), transport, (connection, kind) -> {
      throw new AssertionError("no dial connects in this test");
    }, workers, timers, new Mailbox(Server.mailboxCapacity(config)), threads, threads, NoDns.SEEDS, clockMillis,
        new Random(2));
  }
}
