/**
 * The node as an operator runs it: the command line, configuration, the start-once / stop-once
 * lifecycle of the services (store, chain, sync, server, metrics, RPC), and the RPC methods, which
 * reach the node only through {@code NodeControl} (the chain's in {@code ChainRpc} and
 * {@code ChainTipsRpc}, the peers' in {@code PeerRpc}, {@code BanRpc} and {@code AddressRpc}, the
 * network's in {@code NetworkRpc}, help, uptime, logging and memory in {@code ControlRpc}).
 */
package io.peerd.node;
