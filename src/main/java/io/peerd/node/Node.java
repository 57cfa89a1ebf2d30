package io.peerd.node;

import io.peerd.chain.Chain;
import io.peerd.chain.NetworkParameters;
import io.peerd.store.RocksChainStore;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: today its store and chain; peers, sync and RPC join here. Opened once,
 * closed once (a second close is a no-op), so a shutdown hook and a normal exit can both call it.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final NetworkParameters params;
  private final RocksChainStore store;
  private final Chain chain;
  private boolean closed;

  private Node(NetworkParameters params, RocksChainStore store, Chain chain) {
    this.params = params;
    this.store = store;
    this.chain = chain;
  }

  /** Opens the network's store under {@code dataDirectory}/{@code network} and loads the chain. */
  public static Node open(NetworkParameters params, Path dataDirectory) {
    Path storeDirectory = dataDirectory.resolve(params.name()).resolve("chain");
    RocksChainStore store = RocksChainStore.open(storeDirectory, params.name());
    try {
      Chain chain = Chain.open(params, store, () -> System.currentTimeMillis() / 1000);
      log.info("peerd {} chain at height {} ({}), best header {}, data in {}", params.name(), chain.tipHeight(),
          chain.tip().hash(), chain.bestHeader().height(), storeDirectory.toAbsolutePath());
      return new Node(params, store, chain);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public NetworkParameters params() {
    return params;
  }

  /** The chain; only the node's owner thread may call it (the chain actor arrives with issue 3). */
  public Chain chain() {
    return chain;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    store.close();
    log.info("peerd stopped; store closed");
  }
}
