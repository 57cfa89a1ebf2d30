/**
 * {@code peerd-cli}, the command-line client of the node's JSON-RPC API, after bitcoin-cli: options
 * and credentials ({@link io.peerd.cli.Cli}), arguments to params by Core's conversion table
 * ({@code ParamConversion}), results and errors printed and exit codes as bitcoin-cli's
 * ({@code ResultFormat}, {@code ErrorFormat}, {@code RpcReplyText}). It owns no node state and
 * talks to the node over HTTP only.
 */
package io.peerd.cli;
