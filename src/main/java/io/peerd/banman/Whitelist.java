package io.peerd.banman;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code --whitelist=[permissions@]SUBNET} entries: peers connecting from a listed subnet get
 * its permissions. Without permissions an entry grants Core's default set, which includes
 * {@link Permission#NOBAN}. An address in several entries gets all their permissions.
 */
public final class Whitelist {
  /** Core's implicit permissions for an entry that names none. */
  static final Set<Permission> IMPLICIT = EnumSet.of(Permission.NOBAN, Permission.RELAY, Permission.MEMPOOL,
      Permission.DOWNLOAD);

  private record Entry(Subnet subnet, Set<Permission> permissions) {}

  public static final Whitelist NONE = new Whitelist(List.of());

  private final List<Entry> entries;

  private Whitelist(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Parses each {@code [perm,perm@]SUBNET}; a bad entry is an error that names it. */
  public static Whitelist parse(List<String> texts) {
    List<Entry> entries = new ArrayList<>(texts.size());
    for (String text : texts) {
      int at = text.indexOf('@');
      Set<Permission> permissions = EnumSet.noneOf(Permission.class);
      if (at < 0) {
        permissions.addAll(IMPLICIT);
      } else {
        for (String name : text.substring(0, at).split(",")) {
          permissions.add(Permission.parse(name));
        }
      }
      try {
        entries.add(new Entry(Subnet.parse(text.substring(at + 1)), Set.copyOf(permissions)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--whitelist " + text + ": " + e.getMessage());
      }
    }
    return new Whitelist(entries);
  }

  public boolean grants(InetAddress address, Permission permission) {
    return entries.stream().anyMatch(e -> e.subnet().contains(address) && e.permissions().contains(permission));
  }
}
