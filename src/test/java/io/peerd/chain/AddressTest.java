package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {
  @ParameterizedTest(name = "{1} on {0}")
  @CsvSource(delimiter = '|', textBlock = """
      # BIP173 segwit v0 vectors (its v1+ vectors used Bech32, which BIP350 replaced)
      main     | BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 | 0014751e76e8199196d454941c45d1b3a323f1433bd6
      testnet3 | tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7 | 00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262
      # BIP350 vectors
      main     | bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y | 5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6
      main     | BC1SW50QGDZ25J | 6002751e
      main     | bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs | 5210751e76e8199196d454941c45d1b3a323
      testnet3 | tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy | 0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433
      testnet3 | tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c | 5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433
      main     | bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0 | 512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798
      # Known mainnet addresses: the genesis coinbase key, a P2SH example, the all-zero hash
      main     | 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa | 76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac
      main     | 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy | a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87
      main     | 1111111111111111111114oLvT2 | 76a914000000000000000000000000000000000000000088ac
      # Bitcoin Core's key_io_valid.json, one of each kind per network
      main     | 1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo | 76a914a31c06bd463e3923bc1aadbde48b16976c08071788ac
      main     | 36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm | a914373b819a068f32b7a6b38b6b38729647cfde01c287
      main     | bc1z2rksukkjr8 | 520250ed
      testnet4 | mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ | 76a914ce28b26c57472737f5c3561a1761185bd8589a4388ac
      testnet4 | 2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK | a914ce0bba75891ff9ec60148d4bd4a09ee2dc5c933187
      testnet4 | tb1p35n52jy6xkm4wd905tdy8qtagrn73kqdz73xe4zxpvq9t3fp50aqk3s6gz | 51208d2745489a35b75734afa2da43817d40e7e8d80d17a26cd4460b0055c521a3fa
      signet   | mww4LvqtTMKvmeQvizPz2EQv26xTneWrbg | 76a914b4110ba93ac54afc14da3bdd19614774a2d55d2988ac
      signet   | 2N1r7aC69VHeE7yQJPDLi9T1PYq4wnwvjuT | a9145e5a35ab44b3efaea5129ba22b88ba3e2976614587
      signet   | tb1q3vya2h5435jkugq2few7dmktlrwq4ejmfaw7kr | 00148b09d55e958d256e200a4e5de6eecbf8dc0ae65b
      regtest  | n4fajahJrAuKbN7uNsKjLjQkz9Qn5ewJXQ | 76a914fdeca3b08e38af53d7c4c60e3ad208ce5066441088ac
      regtest  | 2MxFajLApXpYk4VodBSZSt7rw8y4ryABkfA | a91436e9f191e0b75036a77f65e2eaa4752443233fbe87
      regtest  | bcrt1qdavt4j2sd7dlhqsavtnfxvzppw6k7qy97tmnu9 | 00146f58bac9506f9bfb821d62e69330410bb56f0085
      regtest  | bcrt1qan8gntac7z7me2ejt4hpru42ad2f759fmy0m3ejvs98656znv7eqga4uhv | 0020ecce89afb8f0bdbcab325d6e11f2aaeb549f50a9d91fb8e64c814faa685367b2
      regtest  | bcrt1pfwxjqvtt4tcxrtdluukfmy2dv7xd2qzdfy6kajv5nwn4yam3wxkq3553uh | 51204b8d20316baaf061adbfe72c9d914d678cd5004d49356ec9949ba752777171ac
      regtest  | bcrt1sx6p8njlx7h9mc2agz4yg82dzne23050ncq72cneeecez2pst8mahn8xecsf8g6hzx94420 | 6028368279cbe6f5cbbc2ba8154883a9a29e5517d1f3c03cac4f39ce3225060b3efb799cd9c412746ae2
      """)
  void decodesValidAddressesToTheirScripts(String network, String address, String scriptHex)
      throws InvalidAddressException {
    assertThat(Address.toScriptPubKey(address, params(network))).asHexString().isEqualToIgnoringCase(scriptHex);
  }

  @ParameterizedTest(name = "{1} on {0}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # BIP350 invalid segwit addresses
      main     | tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut | unknown HRP
      main     | bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd | needs a BECH32M checksum
      testnet3 | tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf | needs a BECH32M checksum
      main     | BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL | needs a BECH32M checksum
      main     | bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh | needs a BECH32 checksum
      testnet3 | tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47 | needs a BECH32 checksum
      main     | bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4 | invalid Bech32 character
      main     | BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R | witness version 17
      main     | bc1pw5dgrnzv | witness program is 1 bytes
      main     | bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav | witness program is 41 bytes
      main     | BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P | witness v0 program is 16 bytes
      testnet3 | tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq | mixed case
      main     | bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf | more than 4 padding bits
      testnet3 | tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j | non-zero padding bits
      main     | bc1gmk9yu | empty data section
      # BIP173 invalid segwit addresses; those above v0 now fail first on their Bech32 checksum
      main     | tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty | unknown HRP
      main     | bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5 | bad Bech32 checksum
      main     | BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2 | witness version 17
      main     | bc1rw5uspcuh | needs a BECH32M checksum
      main     | bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90 | needs a BECH32M checksum
      main     | BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P | witness v0 program is 16 bytes
      testnet3 | tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7 | mixed case
      main     | bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du | needs a BECH32M checksum
      testnet3 | tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv | non-zero padding bits
      # BIP173's valid v1+ vectors carry Bech32 checksums, which BIP350 made invalid
      main     | bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx | needs a BECH32M checksum
      main     | BC1SW50QA3JX3S | needs a BECH32M checksum
      main     | bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj | needs a BECH32M checksum
      # Base58Check; the second-last is a private key (WIF), the last has version byte 0x01
      main     | 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb | bad Base58Check checksum
      main     | 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz | bad Base58Check checksum
      main     | 1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a | invalid Base58 character '0'
      main     | 1A1z | too short for Base58Check
      main     | 5JuW2AMDYu4xVwRG9DZW18VbzQrGcd5RCgb99sS6ehJsNQXu5b9 | payload is 33 bytes
      main     | ZMbN7wfnajXV9AJNonywTMDyHB3xFnR8z | unknown Base58 version byte 0x01
      main     | 11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111 | longer than 90 characters
      """)
  void rejectsInvalidAddressesForTheStatedReason(String network, String address, String reason) {
    assertThatThrownBy(() -> Address.toScriptPubKey(address, params(network)))
        .isInstanceOf(InvalidAddressException.class).hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "{1} on {0}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      regtest  | bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4 | address is for main, this node runs regtest
      regtest  | 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa | address is for main, this node runs regtest
      regtest  | 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy | address is for main, this node runs regtest
      regtest  | tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy | address is for testnet3, testnet4, signet, this node runs regtest
      main     | bcrt1qdavt4j2sd7dlhqsavtnfxvzppw6k7qy97tmnu9 | address is for regtest, this node runs main
      main     | mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ | address is for testnet3, testnet4, signet, regtest, this node runs main
      signet   | BCRT1QDAVT4J2SD7DLHQSAVTNFXVZPPW6K7QY97TMNU9 | address is for regtest, this node runs signet
      """)
  void rejectsAddressesOfAnotherNetworkNamingIt(String network, String address, String message) {
    assertThatThrownBy(() -> Address.toScriptPubKey(address, params(network)))
        .isInstanceOf(InvalidAddressException.class).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"testnet3", "testnet4", "signet"})
  void testNetworksShareTheirPrefixes(String network) throws InvalidAddressException {
    NetworkParameters params = params(network);
    assertThat(Address.toScriptPubKey("tb1q3vya2h5435jkugq2few7dmktlrwq4ejmfaw7kr", params)).asHexString()
        .isEqualToIgnoringCase("00148b09d55e958d256e200a4e5de6eecbf8dc0ae65b");
    assertThat(Address.toScriptPubKey("2N1r7aC69VHeE7yQJPDLi9T1PYq4wnwvjuT", params)).asHexString()
        .isEqualToIgnoringCase("a9145e5a35ab44b3efaea5129ba22b88ba3e2976614587");
  }

  @Test
  void acceptsSegwitAddressesInUpperCase() throws InvalidAddressException {
    String address = "bcrt1qdavt4j2sd7dlhqsavtnfxvzppw6k7qy97tmnu9";
    assertThat(Address.toScriptPubKey(address.toUpperCase(Locale.ROOT), NetworkParameters.REGTEST))
        .isEqualTo(Address.toScriptPubKey(address, NetworkParameters.REGTEST));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "A12UEL5L",
      "a12uel5l",
      "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
      "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
      "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
      "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
      "?1ezyfcl"})
  void decodesBip173Strings(String text) throws InvalidAddressException {
    assertThat(Address.decodeBech32(text).encoding()).isEqualTo(Address.Encoding.BECH32);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "A1LQFN3A",
      "a1lqfn3a",
      "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
      "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
      "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
      "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
      "?1v759aa"})
  void decodesBip350Strings(String text) throws InvalidAddressException {
    assertThat(Address.decodeBech32(text).encoding()).isEqualTo(Address.Encoding.BECH32M);
  }

  @ParameterizedTest
  @MethodSource("invalidBech32Strings")
  void rejectsInvalidBech32Strings(String text) {
    assertThatThrownBy(() -> Address.decodeBech32(text)).isInstanceOf(InvalidAddressException.class);
  }

  /** BIP173's and BIP350's invalid strings, in that order. */
  static Stream<String> invalidBech32Strings() {
    return Stream.of(
        "\u00201nwldj5", "\u007f1axkwrx", "\u00801eym55h",
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
        "pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "de1lg7wt\u00ff", "A1G7SGD8", "10a06t8",
        "1qzzfhee",
        "\u00201xj0phk", "\u007f1g6xzxy", "\u00801vctc34",
        "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
        "qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i", "au1s5cgom",
        "M1VUXWEZ", "16plkw9", "1p2gdwpf");
  }

  private static NetworkParameters params(String network) {
    return NetworkParameters.byName(network).orElseThrow();
  }
}
