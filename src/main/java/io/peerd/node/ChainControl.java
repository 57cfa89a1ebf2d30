package io.peerd.node;

import io.peerd.chain.ChainView;
import io.peerd.chain.InitialBlockDownload;
import io.peerd.chain.NetworkParameters;
import io.peerd.wire.Hash;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What the chain RPC methods read from the node, and the one thing they ask of the chain actor. */
interface ChainControl {
  NetworkParameters params();

  /** The published chain: snapshots, headers and stored blocks, read without asking the chain actor. */
  ChainView chainView();

  /** The node's one latch, shared with the server, so both agree on when initial block download ended. */
  InitialBlockDownload initialBlockDownload();

  /** Mines {@code blocks} blocks paying {@code payTo} (regtest); the reply lists their hashes. */
  CompletableFuture<List<Hash>> generate(int blocks, byte[] payTo);
}
