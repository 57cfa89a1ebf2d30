package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandOptionsTest {
  private final CommandOptions options = new CommandOptions("tool", "Does things.")
      .flag("--red", "Red.")
      .flag("--blue", "Blue.")
      .exclusive(List.of("--red", "--blue"))
      .flag("--quiet", "Say less.")
      .value("--port", "PORT", "Where.")
      .repeatable("--peer", "HOST", "Whom.");

  @Test
  void valuesAfterAnEqualsSignOrAsTheNextArgumentAndTheLastOneWins() throws Exception {
    CommandOptions.Parsed parsed = options.parse(List.of("--port=1", "--peer", "a", "--port", "2", "--peer=b",
        "--quiet", "--quiet"));
    assertThat(parsed.last("--port")).hasValue("2");
    assertThat(parsed.all("--peer")).containsExactly("a", "b");
    assertThat(parsed.flag("--quiet")).isTrue();
    assertThat(parsed.flag("--red")).isFalse();
    assertThat(parsed.last("--red")).isEmpty();
    assertThat(parsed.help() || parsed.version()).isFalse();
    assertThat(options.isFlag("--quiet")).isTrue();
    assertThat(options.isFlag("--port")).isFalse();
    assertThat(options.isFlag("--bogus")).isFalse();
  }

  @Test
  void helpAndVersionAreAskedForAnywhere() throws Exception {
    assertThat(options.parse(List.of("--port=1", "-h")).help()).isTrue();
    assertThat(options.parse(List.of("--help")).help()).isTrue();
    assertThat(options.parse(List.of("-V")).version()).isTrue();
    assertThat(options.parse(List.of("--version")).version()).isTrue();
  }

  @Test
  void mistakesAreNamed() {
    assertUsageError(List.of("--bogus=1"), "Unknown option: '--bogus=1'");
    assertUsageError(List.of("--port=1", "stray"), "Unmatched argument at index 1: 'stray'");
    assertUsageError(List.of("--peer"), "Missing required parameter for option '--peer' (HOST)");
    assertUsageError(List.of("--quiet=1"), "option '--quiet' takes no value");
    assertUsageError(List.of("--blue", "--red"), "--red, --blue are mutually exclusive (specify only one)");
  }

  private void assertUsageError(List<String> args, String message) {
    assertThatThrownBy(() -> options.parse(args)).isInstanceOf(CommandOptions.UsageException.class)
        .hasMessage(message);
  }

  @Test
  void theUsageListsEveryOptionWithItsLabelAndWrapsLongDescriptions() {
    CommandOptions wordy = new CommandOptions("tool", "Does things.")
        .value("--a-rather-long-option-name", "VALUE", "word ".repeat(40).strip());
    String usage = wordy.usage();
    assertThat(usage).startsWith("Usage: tool [OPTIONS]\nDoes things.\n");
    assertThat(usage.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    assertThat(usage).contains("  --a-rather-long-option-name=VALUE\n", "-h, --help", "-V, --version");
    assertThat(options.usage()).contains("  --peer=HOST", "Whom. (repeatable)", "  --quiet", "Say less.");
  }
}
