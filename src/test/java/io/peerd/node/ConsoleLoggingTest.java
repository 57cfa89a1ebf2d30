package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** peerd's logging set up in code; {@code NodeProcessTest} sees its lines from a real node. */
class ConsoleLoggingTest {
  @Test
  void logsToStandardOutputAtTheLevelAskedForAndQuietensRatis() {
    LoggerContext context = new LoggerContext();
    ConsoleLogging.configureConsole(context, "debug");

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(root.getAppender("STDOUT")).isInstanceOfSatisfying(ConsoleAppender.class, console -> {
      assertThat(console.isStarted()).isTrue();
      assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(ConsoleLogging.PATTERN);
    });
    assertThat(context.getLogger("org.apache.ratis").getLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("org.apache.ratis.util.LifeCycle").getLevel()).isEqualTo(Level.OFF);
  }

  @Test
  void infoUnlessALevelIsNamed() {
    for (String levelName : new String[] {null, "", "loud"}) {
      LoggerContext context = new LoggerContext();
      ConsoleLogging.configureConsole(context, levelName);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).as(levelName).isEqualTo(Level.INFO);
    }
  }

  @Test
  void aLogbackTestFileOnTheClassPathTakesOver() {
    assertThat(getClass().getClassLoader().getResource("logback-test.xml")).isNotNull();
    LoggerContext context = new LoggerContext();
    assertThat(new ConsoleLogging().configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
  }
}
