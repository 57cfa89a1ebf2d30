package io.peerd.server;

import io.peerd.connmgr.ConnectionWorker;
import io.peerd.connmgr.WorkerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Random;

/** A worker that is never started, and addresses. */
final class RegistryFakes {
  private RegistryFakes() {}

  /** An idle worker: the registry only compares workers by identity. */
  static ConnectionWorker worker(InetSocketAddress peer) {
    return new ConnectionWorker(peer, null, null, WorkerConfig.defaults(), null, null, null, () -> 0, new Random(0), 0);
  }

  static InetSocketAddress address(String ip, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(ip), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
