package io.peerd.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A decoded transaction's ids, sizes and scripts come from its received bytes, wherever they lie. */
class TransactionTest {
  /**
   * BIP143's native P2WPKH example, signed: two inputs, only the second with a witness, so the
   * txid must skip the marker, the flag, an empty and a two-item witness stack.
   */
  private static final byte[] SEGWIT = HexFormat.of().parseHex("01000000000102fff7f7881a8099afa6940d42d1e7f636"
      + "2bec38171ea3edf433541db4e4ad969f00000000494830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be"
      + "022040529b194ba3f9281a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309f"
      + "e287d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac9093510d"
      + "000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac000247304402203609e17b84f6a7d30c80bfa610b5b4542f32a8a0d544"
      + "7a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a8caed02de67eebee0121025476c2e83188368da1ff3e29"
      + "2e7acafcdb3566bb0ad253f62fc70f07aeee635711000000");

  @Test
  void segwitIdsAndSizesMatchTheSerializations() throws WireException {
    Transaction tx = decodeAt(SEGWIT, 0);
    assertThat(tx.inputs().get(0).witness()).isEmpty();
    assertThat(tx.inputs().get(1).witness()).hasSize(2);
    byte[] legacy = tx.serialize(false);
    assertThat(tx.txid()).isEqualTo(Hash.of(legacy));
    assertThat(tx.wtxid()).isEqualTo(Hash.of(SEGWIT));
    assertThat(tx.serializedSize(false)).isEqualTo(legacy.length);
    assertThat(tx.serializedSize(true)).isEqualTo(SEGWIT.length);
    assertThat(tx.serialize(true)).isEqualTo(SEGWIT);
    Transaction built = new Transaction(tx.version(), tx.inputs(), tx.outputs(), tx.lockTime());
    assertThat(built.txid()).isEqualTo(tx.txid());
    assertThat(built.wtxid()).isEqualTo(tx.wtxid());
    assertThat(built.serializedSize(false)).isEqualTo(legacy.length);
  }

  @Test
  void decodingInsideALargerArrayGivesTheSameTransaction() throws WireException {
    Transaction alone = decodeAt(SEGWIT, 0);
    Transaction inside = decodeAt(SEGWIT, 7);
    assertThat(inside.txid()).isEqualTo(alone.txid());
    assertThat(inside.wtxid()).isEqualTo(alone.wtxid());
    assertThat(inside.serializedSize(false)).isEqualTo(alone.serializedSize(false));
    assertThat(inside.inputs()).isEqualTo(alone.inputs());
    assertThat(inside.outputs()).isEqualTo(alone.outputs());
    assertThat(inside.serialize(true)).isEqualTo(SEGWIT);
  }

  @Test
  void sliceComparesContentAndStaysInItsRange() {
    ByteSlice slice = ByteSlice.copyOf(new byte[] {1, 2, 3});
    assertThat(slice).isEqualTo(ByteSlice.view(new byte[] {9, 1, 2, 3, 9}, 1, 3));
    assertThat(slice.hashCode()).isEqualTo(ByteSlice.view(new byte[] {9, 1, 2, 3, 9}, 1, 3).hashCode());
    assertThat(slice.matchesAt(1, new byte[] {2, 3})).isTrue();
    assertThat(slice.matchesAt(2, new byte[] {3, 9})).as("runs past the end").isFalse();
    assertThat(ByteSlice.view(new byte[] {1, 2, 3, 4}, 0, 3).matchesAt(2, new byte[] {3, 4})).isFalse();
    assertThat(slice.toHex()).isEqualTo("010203");
  }

  /** Decodes a transaction placed {@code offset} bytes into a larger array, with bytes after it too. */
  private static Transaction decodeAt(byte[] bytes, int offset) throws WireException {
    byte[] padded = new byte[offset + bytes.length + 3];
    System.arraycopy(bytes, 0, padded, offset, bytes.length);
    ByteReader reader = new ByteReader(padded, offset, bytes.length);
    Transaction tx = Transaction.read(reader);
    reader.expectEnd("transaction");
    return tx;
  }
}
