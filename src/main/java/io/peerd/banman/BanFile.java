package io.peerd.banman;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bans and discouraged addresses on disk, as JSON ({@code banlist.json} in the network's data
 * directory). Written whole to a temporary file, forced to disk, then moved over the old one: a
 * kill -9 at any moment leaves the old file or the new one, never a mix. A file that cannot be
 * read is reported, for the node to log and start with no bans rather than refuse to start.
 */
public final class BanFile {
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A discouraged address and when its discouragement ends (milliseconds since the epoch). */
  public record Discouraged(InetAddress address, long untilMillis) {}

  public record Contents(List<BanManager.Ban> bans, List<Discouraged> discouraged) {}

  private BanFile() {}

  /** What the file holds; empty if there is none. Throws {@link IOException} for an unreadable or damaged file. */
  public static Optional<Contents> load(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (root == null || root.path("format").asInt() != FORMAT_VERSION) {
      throw new IOException(file + ": not a format " + FORMAT_VERSION + " ban list");
    }
    try {
      List<BanManager.Ban> bans = new ArrayList<>();
      for (JsonNode ban : root.path("bans")) {
        bans.add(new BanManager.Ban(Subnet.parse(ban.path("subnet").asText()), ban.path("created").asLong(),
            ban.path("until").asLong()));
      }
      List<Discouraged> discouraged = new ArrayList<>();
      for (JsonNode entry : root.path("discouraged")) {
        discouraged.add(new Discouraged(InetAddress.getByAddress(Subnet.parse(entry.path("address").asText())
            .network()), entry.path("until_ms").asLong()));
      }
      return Optional.of(new Contents(bans, discouraged));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  public static void save(Path file, Contents contents) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("format", FORMAT_VERSION);
    ArrayNode bans = root.putArray("bans");
    contents.bans().forEach(ban -> bans.addObject().put("subnet", ban.subnet().toString())
        .put("created", ban.createdSeconds()).put("until", ban.untilSeconds()));
    ArrayNode discouraged = root.putArray("discouraged");
    contents.discouraged().forEach(d -> discouraged.addObject().put("address", d.address().getHostAddress())
        .put("until_ms", d.untilMillis()));
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(root));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
