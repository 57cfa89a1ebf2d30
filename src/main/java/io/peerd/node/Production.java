package io.peerd.node;

import io.peerd.actor.Timers;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainView;
import io.peerd.ha.HaMember;
import io.peerd.produce.IntervalProducer;
import io.peerd.produce.ProductionConfig;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * The node's block production service (--produce-interval): a producer on the node's timers that
 * mines on the local chain, or, in an HA group (--ha-id), this node's Raft member and a producer
 * that proposes while it leads. Started after the chain actor and the server, stopped before them:
 * committed blocks are applied through the chain actor and announced by the server.
 */
final class Production {
  private final ProductionConfig config;
  private final String networkName;
  private final ChainActor chain;
  private final ChainView view;
  private final Timers timers;
  private final ThreadFactory haThreads;
  private volatile HaMember member;
  private volatile IntervalProducer producer;

  /** @param config null: this node does not produce */
  Production(ProductionConfig config, String networkName, ChainActor chain, ChainView view, Timers timers,
      ThreadFactory haThreads) {
    this.config = config;
    this.networkName = networkName;
    this.chain = chain;
    this.view = view;
    this.timers = timers;
    this.haThreads = haThreads;
  }

  void start() throws IOException {
    if (config == null) {
      return;
    }
    byte[] payTo = config.payToScript();
    IntervalProducer.Step step = () -> chain.generate(1, payTo);
    if (config.ha() != null) {
      HaMember started = HaMember.start(config.ha(), networkName, chain, view, haThreads);
      member = started;
      step = () -> started.produceIfLeader(payTo);
    }
    IntervalProducer created = new IntervalProducer(timers, config.intervalMillis(), step);
    try {
      created.start();
    } catch (RuntimeException e) {
      stop(); // a failed start is not stopped by StartOnce: the Raft member would keep its port
      throw e;
    }
    producer = created;
  }

  void stop() throws IOException {
    IntervalProducer started = producer;
    if (started != null) {
      started.stop();
    }
    HaMember joined = member;
    if (joined != null) {
      joined.close();
    }
  }

  /** This node's Raft member; empty without --ha-id, or before the start. */
  Optional<HaMember> member() {
    return Optional.ofNullable(member);
  }
}
