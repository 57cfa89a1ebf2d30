/**
 * The node as an operator runs it: the command line, configuration, the start-once / stop-once
 * lifecycle of the services (store, chain, sync, server, metrics, RPC), and the RPC methods, which reach
 * the node only through {@code NodeControl} (the chain's in {@code ChainRpc}, the peers' in
 * {@code PeerRpc}).
 */
package io.peerd.node;
