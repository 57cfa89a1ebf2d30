package io.peerd.connmgr;

import io.peerd.net.Connection;
import java.net.InetSocketAddress;

/** What a worker asks of the server. Every method only enqueues. */
public interface WorkerHost {
  /** May the worker dial {@code address} now? Answered by {@link ConnectionWorker#dialPermitted} or {@code dialRefused}. */
  void requestDial(ConnectionWorker worker, long attempt, InetSocketAddress address);

  /** The granted dial connected: the server starts the peer (or closes the connection if it cancelled the dial). */
  void dialSucceeded(ConnectionWorker worker, long attempt, Connection connection);

  /** The granted dial failed or was abandoned: the server forgets it. */
  void dialFailed(ConnectionWorker worker, long attempt);
}
