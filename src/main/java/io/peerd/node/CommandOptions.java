package io.peerd.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node's command line grammar, bitcoind's way: {@code --name=value} or {@code --name value},
 * flags, repeatable options, a later value overriding an earlier one (so the command line
 * overrides the config file before it), one group of mutually exclusive flags, and the usage text.
 * Written out rather than reflected from annotations: building picocli's model of this command
 * took about a quarter of a node's start.
 */
final class CommandOptions {
  private static final int USAGE_WIDTH_CHARS = 100;
  private static final int NAME_COLUMN_CHARS = 30;
  private static final Set<String> HELP = Set.of("-h", "--help");
  private static final Set<String> VERSION = Set.of("-V", "--version");

  enum Kind { FLAG, VALUE, REPEATABLE }

  /** One option; {@code paramLabel} is null for a flag. */
  record Option(String name, Kind kind, String paramLabel, String description) {}

  /** What an operator got wrong on the command line, in words to print after "peerd: ". */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /** The options given: every value of each, in order; a flag given once or more holds one value. */
  record Parsed(Map<String, List<String>> values, boolean help, boolean version) {
    Optional<String> last(String name) {
      List<String> given = values.getOrDefault(name, List.of());
      return given.isEmpty() ? Optional.empty() : Optional.of(given.getLast());
    }

    List<String> all(String name) {
      return values.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
      return values.containsKey(name);
    }
  }

  private final String command;
  private final String summary;
  private final Map<String, Option> options = new LinkedHashMap<>();
  private final List<String> exclusive = new ArrayList<>();

  CommandOptions(String command, String summary) {
    this.command = command;
    this.summary = summary;
  }

  CommandOptions flag(String name, String description) {
    return add(new Option(name, Kind.FLAG, null, description));
  }

  CommandOptions value(String name, String paramLabel, String description) {
    return add(new Option(name, Kind.VALUE, paramLabel, description));
  }

  CommandOptions repeatable(String name, String paramLabel, String description) {
    return add(new Option(name, Kind.REPEATABLE, paramLabel, description));
  }

  /** Flags (already added) of which a command line may give at most one. */
  CommandOptions exclusive(List<String> flags) {
    if (!exclusive.isEmpty() || !flags.stream().allMatch(f -> options.containsKey(f)
        && options.get(f).kind() == Kind.FLAG)) {
      throw new IllegalArgumentException("one group of known flags: " + flags);
    }
    exclusive.addAll(flags);
    return this;
  }

  private CommandOptions add(Option option) {
    if (options.putIfAbsent(option.name(), option) != null) {
      throw new IllegalArgumentException("option " + option.name() + " twice");
    }
    return this;
  }

  /** Whether {@code name} is one of the flags (options that take no value). */
  boolean isFlag(String name) {
    Option option = options.get(name);
    return option != null && option.kind() == Kind.FLAG;
  }

  Parsed parse(List<String> args) throws UsageException {
    Map<String, List<String>> values = new LinkedHashMap<>();
    boolean help = false;
    boolean version = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      help |= HELP.contains(arg);
      version |= VERSION.contains(arg);
      if (HELP.contains(arg) || VERSION.contains(arg)) {
        continue;
      }
      if (!arg.startsWith("-")) {
        throw new UsageException("Unmatched argument at index " + i + ": '" + arg + "'");
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      Option option = options.get(name);
      if (option == null) {
        throw new UsageException("Unknown option: '" + arg + "'");
      }
      List<String> given = values.computeIfAbsent(name, n -> new ArrayList<>());
      if (option.kind() == Kind.FLAG) {
        if (equals >= 0) {
          throw new UsageException("option '" + name + "' takes no value");
        }
        given.clear();
        given.add("");
      } else if (equals >= 0) {
        given.add(arg.substring(equals + 1));
      } else if (i + 1 < args.size()) {
        given.add(args.get(++i));
      } else {
        throw new UsageException("Missing required parameter for option '" + name + "' (" + option.paramLabel() + ")");
      }
    }
    List<String> chosen = exclusive.stream().filter(values::containsKey).toList();
    if (chosen.size() > 1) {
      throw new UsageException(String.join(", ", chosen) + " are mutually exclusive (specify only one)");
    }
    return new Parsed(values, help, version);
  }

  /** The usage text: a synopsis line, the summary, then each option, its descriptions wrapped. */
  String usage() {
    StringBuilder text = new StringBuilder("Usage: " + command + " [OPTIONS]\n" + summary + "\n");
    List<Option> all = new ArrayList<>(options.values());
    all.add(new Option("-h, --help", Kind.FLAG, null, "Show this help message and exit."));
    all.add(new Option("-V, --version", Kind.FLAG, null, "Print version information and exit."));
    for (Option option : all) {
      String name = "  " + option.name() + (option.paramLabel() == null ? "" : "=" + option.paramLabel());
      String description = option.description() + (option.kind() == Kind.REPEATABLE ? " (repeatable)" : "");
      text.append(name.length() < NAME_COLUMN_CHARS ? padded(name) : name + "\n" + padded(""));
      appendWrapped(text, description);
    }
    return text.toString();
  }

  private static String padded(String name) {
    return name + " ".repeat(NAME_COLUMN_CHARS - name.length());
  }

  private static void appendWrapped(StringBuilder text, String description) {
    int column = NAME_COLUMN_CHARS;
    for (String word : description.split(" ")) {
      if (column > NAME_COLUMN_CHARS && column + 1 + word.length() > USAGE_WIDTH_CHARS) {
        text.append('\n').append(" ".repeat(NAME_COLUMN_CHARS));
        column = NAME_COLUMN_CHARS;
      } else if (column > NAME_COLUMN_CHARS) {
        text.append(' ');
        column++;
      }
      text.append(word);
      column += word.length();
    }
    text.append('\n');
  }
}
