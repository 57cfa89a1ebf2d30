package io.peerd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Arguments become params as bitcoin-cli makes them: JSON where Core's table says so, strings elsewhere. */
class ParamConversionTest {
  @Test
  void aParameterInCoresTableIsJsonOfAnyKind() {
    assertThat(ParamConversion.positional("getblockhash", List.of("10")).toString()).isEqualTo("[10]");
    assertThat(ParamConversion.positional("getblockheader", List.of("00ab", "false")).toString())
        .isEqualTo("[\"00ab\",false]");
    assertThat(ParamConversion.positional("setban", List.of("10.0.0.0/8", "add", "null", "true")).toString())
        .isEqualTo("[\"10.0.0.0/8\",\"add\",null,true]");
    assertThat(ParamConversion.positional("logging", List.of("[\"net\",\"rpc\"]", "[]")).toString())
        .isEqualTo("[[\"net\",\"rpc\"],[]]");
  }

  @Test
  void decimalsAndLargeNumbersKeepTheirDigits() {
    assertThat(ParamConversion.positional("getblockhash", List.of("0.00001000")).toString()).isEqualTo("[0.00001000]");
    assertThat(ParamConversion.positional("getblockhash", List.of("123456789012345678901234567890")).toString())
        .isEqualTo("[123456789012345678901234567890]");
  }

  @Test
  void otherParametersAndMethodsAreStringsEvenWhenTheyLookLikeJson() {
    assertThat(ParamConversion.positional("getblockheader", List.of("123")).toString()).isEqualTo("[\"123\"]");
    assertThat(ParamConversion.positional("addnode", List.of("127.0.0.1:18444", "onetry")).toString())
        .isEqualTo("[\"127.0.0.1:18444\",\"onetry\"]");
    assertThat(ParamConversion.positional("help", List.of("true")).toString()).isEqualTo("[\"true\"]");
    assertThat(ParamConversion.positional("nosuchmethod", List.of("1", "{}")).toString()).isEqualTo("[\"1\",\"{}\"]");
  }

  @Test
  void aTableParameterThatIsNotJsonIsCoresError() {
    assertThatThrownBy(() -> ParamConversion.positional("getblockhash", List.of("ten")))
        .hasMessage("Error parsing JSON: ten");
    assertThatThrownBy(() -> ParamConversion.positional("getblockhash", List.of("1 2")))
        .hasMessage("Error parsing JSON: 1 2");
  }

  @Test
  void namedArgumentsConvertByNameAndTheRestGoInArgs() {
    assertThat(ParamConversion.named("getblock", List.of("blockhash=00ff", "verbosity=2")).toString())
        .isEqualTo("{\"blockhash\":\"00ff\",\"verbosity\":2}");
    assertThat(ParamConversion.named("getblock", List.of("00ff", "verbosity=0")).toString())
        .isEqualTo("{\"verbosity\":0,\"args\":[\"00ff\"]}");
    assertThat(ParamConversion.named("getblockhash", List.of("7")).toString()).isEqualTo("{\"args\":[7]}");
    assertThat(ParamConversion.named("setban", List.of("subnet=a=b")).toString()).isEqualTo("{\"subnet\":\"a=b\"}");
  }

  @Test
  void aNameGivenTwiceIsRefused() {
    assertThatThrownBy(() -> ParamConversion.named("getblock", List.of("verbosity=1", "verbosity=2")))
        .hasMessage("Parameter verbosity specified multiple times");
  }
}
