package io.peerd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Results and errors printed as bitcoin-cli prints them. */
class ResultFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void stringsPrintBareAndNullPrintsNothing() {
    assertThat(ResultFormat.format("\"peerd stopping\"")).isEqualTo("peerd stopping");
    assertThat(ResultFormat.format("\"a \\\"quoted\\\"\\nline\"")).isEqualTo("a \"quoted\"\nline");
    assertThat(ResultFormat.format("null")).isEmpty();
    assertThat(ResultFormat.format("42")).isEqualTo("42");
    assertThat(ResultFormat.format("true")).isEqualTo("true");
  }

  @Test
  void objectsAndArraysAreIndentedByTwoAsUniValueWritesThem() {
    String reply = "{\"chain\":\"regtest\",\"blocks\":1,\"warnings\":[],\"n\":{},\"a\":[1,{\"x\":null}]}";

    assertThat(ResultFormat.format(reply)).isEqualTo("""
        {
          "chain": "regtest",
          "blocks": 1,
          "warnings": [
          ],
          "n": {
          },
          "a": [
            1,
            {
              "x": null
            }
          ]
        }""");
    assertThat(ResultFormat.format("[]")).isEqualTo("[\n]");
    assertThat(ResultFormat.format("[\"a\\tb\"]")).isEqualTo("[\n  \"a\\tb\"\n]");
  }

  @Test
  void numbersPrintExactlyAsTheServerWroteThem() {
    assertThat(ResultFormat.format("[0.00001000,4.6565423739069247E-10,1e-10,18446744073709551616]"))
        .isEqualTo("[\n  0.00001000,\n  4.6565423739069247E-10,\n  1e-10,\n  18446744073709551616\n]");
  }

  @Test
  void theReplysResultIsTakenAsWritten() throws Exception {
    RpcReplyText reply = RpcReplyText.parse("{\"result\":{\"fee\":0.00001000},\"error\":null,\"id\":1}\n");
    assertThat(reply.failed()).isFalse();
    assertThat(reply.resultJson()).isEqualTo("{\"fee\":0.00001000}");
    assertThat(RpcReplyText.parse("{\"id\":1,\"result\":\"text\",\"error\":null}").resultJson()).isEqualTo("\"text\"");
    assertThat(RpcReplyText.parse("{\"result\":12,\"error\":null}").resultJson()).isEqualTo("12");
  }

  @Test
  void anErrorPrintsItsCodeAndMessageAndExitsWithTheCodesAbsoluteValue() throws Exception {
    RpcReplyText reply = RpcReplyText.parse(
        "{\"result\":null,\"error\":{\"code\":-8,\"message\":\"Block height out of range\"},\"id\":1}");

    assertThat(reply.failed()).isTrue();
    assertThat(ErrorFormat.format(reply.error())).isEqualTo("error code: -8\nerror message:\nBlock height out of range");
    assertThat(ErrorFormat.exitCode(reply.error())).isEqualTo(8);
    assertThat(ErrorFormat.exitCode(JSON.readTree("{\"code\":-32601,\"message\":\"Method not found\"}")))
        .isEqualTo(32601);
    assertThat(ErrorFormat.format(JSON.readTree("\"broken\""))).isEqualTo("error: \"broken\"");
    assertThat(ErrorFormat.exitCode(JSON.readTree("\"broken\""))).isEqualTo(1);
  }
}
