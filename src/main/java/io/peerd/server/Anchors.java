package io.peerd.server;

import io.peerd.net.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's anchors: the block-relay-only peers of a node that shut down, tried first at its next
 * start, so an attacker who fills the address manager while it is down cannot also choose all of
 * its first peers. The file ({@code anchors.dat}, one {@code host:port} per line) is written at
 * shutdown and deleted once read, as Core does; at most {@link #MAX_ANCHORS} lines are taken.
 */
final class Anchors {
  /** The server's log: these are the server's decisions. */
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  static final int MAX_ANCHORS = 2;

  private final Path file;

  /** @param file null: anchors are not kept */
  Anchors(Path file) {
    this.file = file;
  }

  /** The anchors saved at the last shutdown, and the file gone. */
  List<InetSocketAddress> take() {
    if (file == null) {
      return List.of();
    }
    List<InetSocketAddress> anchors = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (anchors.size() < MAX_ANCHORS && !line.isBlank()) {
          anchors.add(HostPort.parse(line.trim(), 0));
        }
      }
      Files.delete(file);
      log.info("{} anchors from the last run, dialed first", anchors.size());
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | IllegalArgumentException e) {
      log.warn("anchors not read: {}", e.getMessage());
    }
    return List.copyOf(anchors);
  }

  void save(List<InetSocketAddress> anchors) {
    if (file == null || anchors.isEmpty()) {
      return;
    }
    List<String> lines = anchors.stream().limit(MAX_ANCHORS).map(HostPort::format).toList();
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.write(temporary, lines, StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("anchors not saved: {}", e.getMessage());
    }
  }
}
