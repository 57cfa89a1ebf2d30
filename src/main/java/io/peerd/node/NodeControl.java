package io.peerd.node;

import io.peerd.actor.Watchdog;
import io.peerd.rpc.RpcServer;
import io.peerd.ha.HaMember;
import java.util.List;
import java.util.Optional;

/**
 * Everything the RPC methods ({@link NodeRpc}) read from and ask of a node, and nothing more. The
 * chain is there from the start; the peers only once the server started.
 */
interface NodeControl extends ChainControl {
  /** The server's peers and requests; empty while the node is starting. */
  Optional<PeerControl> peers();

  /** The RPC calls running now (getrpcinfo). */
  List<RpcServer.ActiveCommand> rpcActiveCommands();

  /** How many stalls the watchdog has seen since the node started. */
  long watchdogStallCount();

  /** The actors that have work and make no progress now. */
  List<Watchdog.Stall> watchdogStalls();

  /** This node's place in its HA group (gethainfo); empty without --ha-id. */
  Optional<HaMember.Info> haInfo();

  /** Asks whoever runs the node to close it; returns at once. */
  void requestStop();
}
