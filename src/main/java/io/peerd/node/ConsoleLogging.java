package io.peerd.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * peerd's default logging, set up in code because parsing a logback.xml cost a quarter of a
 * second of every start: lines to standard output at {@code PEERD_LOG_LEVEL} (default INFO).
 * A logback file of the operator's ({@code -Dlogback.configurationFile}) or a test class path's
 * {@code logback-test.xml} takes over instead, as logback's own search order would have it.
 * Found by logback through {@code META-INF/services}.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";
  static final String LEVEL_VARIABLE = "PEERD_LOG_LEVEL";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    configureConsole(context, System.getenv(LEVEL_VARIABLE));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Logs to standard output at {@code levelName} (INFO if null or not a level). */
  static void configureConsole(LoggerContext context, String levelName) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    // Ratis warns of every failed connection to a member that is down, many times a second, and
    // its LifeCycle logs each as an error; gethainfo shows which members are reachable.
    context.getLogger("org.apache.ratis").setLevel(Level.ERROR);
    context.getLogger("org.apache.ratis.util.LifeCycle").setLevel(Level.OFF);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(levelName, Level.INFO));
    root.addAppender(console);
  }
}
