package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Output scripts' types, addresses and descriptors, and scripts' asm, as Core's RPC writes them. */
class OutputScriptTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String KEY_HASH = "751e76e8199196d454941c45d1b3a323f1433bd6";
  private static final String G = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

  @Test
  void descriptorChecksumsAreCores() {
    assertThat(DescriptorChecksum.of("raw(deadbeef)")).isEqualTo("89f8spxm");
  }

  @Test
  void segwitAndBase58OutputsGetTheirAddressesFromBip173AndBip350Vectors() {
    assertThat(of("0014" + KEY_HASH, NetworkParameters.MAINNET)).isEqualTo(new OutputScript("witness_v0_keyhash",
        Optional.of("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
        OutputScript.withChecksum("addr(bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4)")));
    assertThat(of("5120" + G, NetworkParameters.MAINNET).address())
        .contains("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0");
    assertThat(of("5120" + G, NetworkParameters.MAINNET).descriptor()).startsWith("rawtr(" + G + ")#");
    assertThat(of("76a914" + "00".repeat(20) + "88ac", NetworkParameters.MAINNET).address())
        .contains("1111111111111111111114oLvT2");
    assertThat(of("a914" + KEY_HASH + "87", NetworkParameters.MAINNET).type()).isEqualTo("scripthash");
    assertThat(of("0014" + KEY_HASH, NetworkParameters.REGTEST).address())
        .contains("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080");
  }

  @Test
  void otherScriptsAreTypedAsCoreSolvesThem() {
    String key = "02" + G;
    assertThat(of("21" + key + "ac", NetworkParameters.MAINNET)).isEqualTo(new OutputScript("pubkey", Optional.empty(),
        OutputScript.withChecksum("pk(" + key + ")")));
    assertThat(of("5121" + key + "51ae", NetworkParameters.MAINNET).descriptor()).startsWith("multi(1," + key + ")#");
    assertThat(of("6a24aa21a9ed" + "00".repeat(32), NetworkParameters.MAINNET)).isEqualTo(new OutputScript("nulldata",
        Optional.empty(), OutputScript.withChecksum("raw(6a24aa21a9ed" + "00".repeat(32) + ")")));
    assertThat(of("51024e73", NetworkParameters.MAINNET).type()).isEqualTo("anchor");
    assertThat(of("5202abcd", NetworkParameters.MAINNET).type()).isEqualTo("witness_unknown");
    assertThat(of("0003abcdef", NetworkParameters.MAINNET).type()).isEqualTo("nonstandard");
    assertThat(of("51", NetworkParameters.MAINNET).type()).isEqualTo("nonstandard");
  }

  @Test
  void asmWritesNumbersHexAndOpcodeNamesAndDecodesSighashesInScriptSigsOnly() {
    assertThat(ScriptAsm.of(HEX.parseHex("76a914" + KEY_HASH + "88ac"), false))
        .isEqualTo("OP_DUP OP_HASH160 " + KEY_HASH + " OP_EQUALVERIFY OP_CHECKSIG");
    assertThat(ScriptAsm.of(HEX.parseHex("0003e8030051604f0181ba"), false)).isEqualTo("0 1000 1 16 -1 -1 OP_CHECKSIGADD");
    assertThat(ScriptAsm.of(HEX.parseHex("4c05aabbccddee"), false)).isEqualTo("aabbccddee");
    assertThat(ScriptAsm.of(HEX.parseHex("6a05aabb"), false)).isEqualTo("OP_RETURN [error]");
    String signature = "3006020101020101";
    assertThat(ScriptAsm.of(HEX.parseHex("09" + signature + "01"), true)).isEqualTo(signature + "[ALL]");
    assertThat(ScriptAsm.of(HEX.parseHex("09" + signature + "83"), true)).isEqualTo(signature + "[SINGLE|ANYONECANPAY]");
    assertThat(ScriptAsm.of(HEX.parseHex("09" + signature + "01"), false)).isEqualTo(signature + "01");
    assertThat(ScriptAsm.of(HEX.parseHex("09" + signature + "05"), true)).as("no such sighash").isEqualTo(signature + "05");
  }

  private static OutputScript of(String hex, NetworkParameters params) {
    return OutputScript.of(HEX.parseHex(hex), params);
  }
}
