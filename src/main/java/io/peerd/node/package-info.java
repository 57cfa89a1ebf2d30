/**
 * The node as an operator runs it: the command line, configuration, and the start-once /
 * stop-once lifecycle of the services (store, chain, and later server, sync and RPC).
 */
package io.peerd.node;
