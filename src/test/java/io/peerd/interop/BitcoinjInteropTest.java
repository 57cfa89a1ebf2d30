package io.peerd.interop;

import static io.peerd.testing.TestNodes.mine;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.node.Node;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Hash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.core.BlockChain;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.PeerAddress;
import org.bitcoinj.core.PeerGroup;
import org.bitcoinj.params.RegTestParams;
import org.bitcoinj.store.MemoryBlockStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real bitcoinj client downloads the chain peerd serves (getblocks/inv/getdata, full blocks). */
class BitcoinjInteropTest {
  private static final int BLOCKS = 2_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  @Test
  void bitcoinjDownloadsTheChainPeerdServes() throws Exception {
    try (Node peerd = TestNodes.start(TestNodes.regtest(dir.resolve("peerd")))) {
      Hash tip = mine(peerd, BLOCKS).getLast();
      Context.propagate(new Context());
      MemoryBlockStore store = new MemoryBlockStore(RegTestParams.get().getGenesisBlock());
      BlockChain chain = new BlockChain(BitcoinNetwork.REGTEST, store);
      PeerGroup group = new PeerGroup(BitcoinNetwork.REGTEST, chain);
      group.setBloomFilteringEnabled(false);
      group.addAddress(PeerAddress.simple(peerd.p2pAddress()));
      group.setMaxConnections(1); // addAddress raised it by one; a download peer needs a majority of the limit
      try {
        group.start();
        CompletableFuture<Void> download = CompletableFuture.runAsync(group::downloadBlockChain);
        download.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(chain.getBestChainHeight()).isEqualTo(BLOCKS);
        assertThat(chain.getChainHead().getHeader().getHash().toString()).isEqualTo(tip.toString());
      } finally {
        group.stop();
        store.close();
      }
    }
  }
}
