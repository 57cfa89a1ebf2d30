package io.peerd.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HashTest {
  @Test
  void displayHexIsByteReversedWireOrder() {
    byte[] wire = new byte[Hash.SIZE_BYTES];
    wire[0] = 0x6f;
    wire[31] = 0x01;
    assertThat(Hash.wrap(wire).toString()).startsWith("01").endsWith("6f");
    assertThat(Hash.fromHex(Hash.wrap(wire).toString())).isEqualTo(Hash.wrap(wire));
  }

  @Test
  void wrappingFewerThan32BytesFailsInsteadOfPaddingWithZeros() {
    assertThatThrownBy(() -> Hash.wrap(new byte[31])).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Hash.wrap(new byte[40], 9)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
