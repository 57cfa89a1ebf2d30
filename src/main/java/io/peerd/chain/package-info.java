/**
 * Consensus as a headers-first node checks it: network parameters, proof of work and
 * difficulty, header and block validation, and {@link io.peerd.chain.Chain}, the header tree
 * with the best header, the tip and reorgs, persisted through {@link io.peerd.store.ChainStore}.
 * Script and UTXO validation are out of scope; {@link io.peerd.chain.ScriptAsm} and
 * {@link io.peerd.chain.OutputScript} only describe scripts as Core's RPC does (asm, type,
 * address, descriptor), and {@link io.peerd.chain.Address} converts addresses both ways. Single-threaded: the chain actor owns it; only
 * {@link io.peerd.chain.InitialBlockDownload}, read from published snapshots, is shared.
 */
package io.peerd.chain;
