package io.peerd.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.testing.MainnetData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every real mainnet block re-encodes byte-identically, alone and inside a block message. */
class RealBlocksWireTest {
  private static final int MAINNET_MAGIC = 0xf9beb4d9;

  @Test
  void blocks0To438RoundTripAndChain() throws WireException {
    List<byte[]> raw = MainnetData.blocks0To438();
    assertThat(raw).hasSize(439);
    Hash previous = Hash.ZERO;
    for (byte[] bytes : raw) {
      Block block = roundTrip(bytes);
      assertThat(block.header().previousHash()).isEqualTo(previous);
      previous = block.hash();
    }
    assertThat(Block.fromBytes(raw.get(0)).hash())
        .hasToString("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
  }

  @Test
  void singleBlocksRoundTrip() throws WireException {
    for (int height : MainnetData.SINGLE_BLOCK_HEIGHTS) {
      roundTrip(MainnetData.block(height));
    }
  }

  @Test
  void segwitBlockKeepsItsWitnessAndStripsToASmallerLegacyForm() throws WireException {
    byte[] bytes = MainnetData.block(481829);
    Block block = Block.fromBytes(bytes);
    assertThat(block.hasWitness()).isTrue();
    assertThat(block.serializedSize(false)).isLessThan(bytes.length);
    assertThat(block.weight()).isEqualTo(block.serializedSize(false) * 3 + bytes.length);
    Block legacy = Block.fromBytes(block.serialize(false));
    assertThat(legacy.hasWitness()).isFalse();
    assertThat(legacy.hash()).isEqualTo(block.hash());
    for (int i = 0; i < block.transactions().size(); i++) {
      assertThat(legacy.transactions().get(i).txid()).isEqualTo(block.transactions().get(i).txid());
    }
  }

  /** A decoded transaction hashes and sizes its received bytes; a built copy serializes itself. */
  @Test
  void decodedIdsAndSizesMatchABuiltCopy() throws WireException {
    for (int height : MainnetData.SINGLE_BLOCK_HEIGHTS) {
      for (Transaction decoded : Block.fromBytes(MainnetData.block(height)).transactions()) {
        Transaction built = new Transaction(decoded.version(), decoded.inputs(), decoded.outputs(), decoded.lockTime());
        assertThat(decoded.txid()).isEqualTo(built.txid());
        assertThat(decoded.wtxid()).isEqualTo(built.wtxid());
        assertThat(decoded.hasWitness()).isEqualTo(built.hasWitness());
        assertThat(decoded.serializedSize(false)).isEqualTo(built.serializedSize(false));
        assertThat(decoded.serializedSize(true)).isEqualTo(built.serializedSize(true));
      }
    }
  }

  private static Block roundTrip(byte[] bytes) throws WireException {
    Block block = Block.fromBytes(bytes);
    assertThat(block.serialize(true)).isEqualTo(bytes);
    assertThat(block.serializedSize(true)).isEqualTo(bytes.length);
    byte[] frame = MessageCodec.encode(MAINNET_MAGIC, new Message.BlockMessage(block));
    Message decoded = MessageCodec.decode(frame, MAINNET_MAGIC);
    assertThat(((Message.BlockMessage) decoded).block().serialize(true)).isEqualTo(bytes);
    assertThat(MessageCodec.encode(MAINNET_MAGIC, decoded)).isEqualTo(frame);
    return block;
  }
}
