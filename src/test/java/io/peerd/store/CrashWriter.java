package io.peerd.store;

import io.peerd.chain.BlockBuilder;
import io.peerd.chain.Chain;
import io.peerd.chain.HeaderNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.wire.Block;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child process for {@link CrashRecoveryTest}: mines regtest blocks into the real chain and
 * store forever, with reorgs and occasional large blocks, until it is killed. Prints
 * {@value #READY} once it has started writing.
 */
public final class CrashWriter {
  static final String READY = "writing";
  private static final int REORG_DEPTH_BLOCKS = 3;
  private static final int MAX_PADDING_BYTES = 300_000;

  private CrashWriter() {}

  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    RocksChainStore store = RocksChainStore.open(directory, "regtest");
    Chain chain = Chain.open(NetworkParameters.REGTEST, store, () -> Long.MAX_VALUE / 2);
    BlockBuilder builder = new BlockBuilder(NetworkParameters.REGTEST);
    long extraNonce = random.nextLong(1, Long.MAX_VALUE / 2);
    System.out.println(READY);
    System.out.flush();
    while (true) {
      boolean reorg = chain.tipHeight() > REORG_DEPTH_BLOCKS && random.nextInt(10) == 0;
      HeaderNode parent = reorg ? chain.tip().ancestor(chain.tipHeight() - REORG_DEPTH_BLOCKS) : chain.tip();
      for (int i = 0; i < (reorg ? REORG_DEPTH_BLOCKS + 1 : 1); i++) {
        byte[] payTo = new byte[random.nextInt(8) == 0 ? random.nextInt(MAX_PADDING_BYTES) : 1];
        Block block = builder.mine(parent, payTo, extraNonce++, 1_700_000_000L + parent.height());
        chain.acceptBlock(block, block.serialize(true));
        parent = chain.header(block.hash()).orElseThrow();
      }
    }
  }
}
