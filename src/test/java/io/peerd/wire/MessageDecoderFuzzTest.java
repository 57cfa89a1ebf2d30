package io.peerd.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.List;

/**
 * Any bytes must decode to a message or fail with a {@link WireException}: no other exception,
 * no hang, no allocation beyond the input (the frame cap bounds it). A message that decodes must
 * re-encode to the same bytes, and a transaction's ids and sizes, taken from the received bytes,
 * must match its serializations. Under {@code bin/test} the inputs in
 * src/test/resources/io/peerd/wire/MessageDecoderFuzzTestInputs/{frames,payloads} run as
 * regression cases; with {@code JAZZER_FUZZ=1} Jazzer fuzzes one method at a time (select it
 * with {@code -Dtest=MessageDecoderFuzzTest#frames}).
 */
class MessageDecoderFuzzTest {
  private static final int MAGIC = 0xf9beb4d9;
  /**
   * Append only: the payloads seed files pick their command by index into this list (the
   * last input byte, modulo its size).
   */
  private static final List<String> COMMANDS = List.of("version", "verack", "ping", "pong", "getaddr", "addr",
      "addrv2", "sendaddrv2", "inv", "getdata", "notfound", "getheaders", "getblocks", "headers", "block", "tx",
      "sendheaders", "feefilter", "wtxidrelay", "sendcmpct", "unknown");

  /** Whole frames, from an array and from a stream: header checks, then the command's decoder. */
  @FuzzTest(maxDuration = "60s")
  void frames(byte[] input) throws IOException {
    Message decoded = null;
    try {
      decoded = MessageCodec.decode(input, MAGIC);
      assertThat(MessageCodec.encode(MAGIC, decoded)).isEqualTo(input);
    } catch (WireException expected) {
      // typed refusal: fine
    }
    try {
      MessageCodec.RawMessage raw = MessageCodec.read(new ByteArrayInputStream(input), MAGIC);
      if (decoded != null) {
        assertThat(raw.command()).isEqualTo(decoded.command());
        assertThat(raw.payload()).isEqualTo(decoded.payload());
      }
    } catch (WireException | EOFException expected) {
      // typed refusal or an empty stream: fine
    }
  }

  /** Payloads for every command, so the fuzzer need not find valid checksums first. */
  @FuzzTest(maxDuration = "60s")
  void payloads(FuzzedDataProvider data) {
    String command = data.pickValue(COMMANDS);
    byte[] payload = data.consumeRemainingAsBytes();
    try {
      Message message = MessageCodec.decodePayload(command, payload);
      assertThat(message.payload()).isEqualTo(payload);
      if (message instanceof Message.Tx tx) {
        assertIdsAndSizesMatchSerializations(tx.transaction());
      } else if (message instanceof Message.BlockMessage block) {
        block.block().transactions().forEach(MessageDecoderFuzzTest::assertIdsAndSizesMatchSerializations);
      }
    } catch (WireException expected) {
      // typed refusal: fine
    }
  }

  private static void assertIdsAndSizesMatchSerializations(Transaction tx) {
    byte[] legacy = tx.serialize(false);
    byte[] full = tx.serialize(true);
    assertThat(tx.txid()).isEqualTo(Hash.of(legacy));
    assertThat(tx.wtxid()).isEqualTo(Hash.of(full));
    assertThat(tx.serializedSize(false)).isEqualTo(legacy.length);
    assertThat(tx.serializedSize(true)).isEqualTo(full.length);
  }
}
