package io.peerd.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.FileAppender;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Core's debug-logging categories over peerd's logback loggers, for the {@code logging} RPC: a
 * category is on when its packages log at DEBUG; turning it off puts them back to INFO. The map
 * (Core's names; peerd's packages under {@code io.peerd}):
 * <ul>
 *   <li>addrman: addrman (the address manager)</li>
 *   <li>blockstorage: store (the block and header store)</li>
 *   <li>net: peer, server, connmgr, net, banman, discovery, sync (Core logs all of these as net)</li>
 *   <li>rpc: rpc</li>
 *   <li>validation: chain</li>
 * </ul>
 * Logback's own configuration is thread-safe; this class holds no state.
 */
final class LogCategories {
  static final Map<String, List<String>> PACKAGES = Map.of(
      "addrman", List.of("addrman"),
      "blockstorage", List.of("store"),
      "net", List.of("peer", "server", "connmgr", "net", "banman", "discovery", "sync"),
      "rpc", List.of("rpc"),
      "validation", List.of("chain"));
  /** Core's names for every category at once. */
  private static final Set<String> ALL = Set.of("all", "1");

  /** Every category, in name order, and whether it is debug-logged. */
  Map<String, Boolean> states() {
    Map<String, Boolean> states = new LinkedHashMap<>();
    PACKAGES.keySet().stream().sorted()
        .forEach(category -> states.put(category, loggers(category).get(0).isDebugEnabled()));
    return states;
  }

  /** True if the name is a category, or all of them. */
  boolean known(String name) {
    return ALL.contains(name) || PACKAGES.containsKey(name);
  }

  /** Turns on {@code include}'s categories, then off {@code exclude}'s, as Core does. */
  void set(List<String> include, List<String> exclude) {
    include.forEach(name -> level(name, Level.DEBUG));
    exclude.forEach(name -> level(name, Level.INFO));
  }

  /** Core's logpath: the file logback writes to, empty when it logs to the console only (the default). */
  String logPath() {
    Logger root = context().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<?> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
      if (appenders.next() instanceof FileAppender<?> file) {
        return file.getFile();
      }
    }
    return "";
  }

  private void level(String name, Level level) {
    List<String> categories = ALL.contains(name) ? List.copyOf(PACKAGES.keySet()) : List.of(name);
    categories.forEach(category -> loggers(category).forEach(logger -> logger.setLevel(level)));
  }

  private static List<Logger> loggers(String category) {
    return PACKAGES.get(category).stream().map(pkg -> context().getLogger("io.peerd." + pkg)).toList();
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }
}
