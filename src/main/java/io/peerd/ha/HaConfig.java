package io.peerd.ha;

import io.peerd.net.HostPort;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A member of a Raft group that produces blocks.
 *
 * @param selfId this member's id, one of {@code members}
 * @param members every member, the same list on each (--ha-peers ID@HOST:PORT,...)
 * @param directory where the Raft log lives (in the network's data folder)
 * @param electionTimeoutMillis the shortest election timeout; the longest is twice this
 * @param bindAddress where this member's Raft server listens (--ha-bind): its own address in
 *     {@code members} unless the others reach it through a forward (NAT, a proxy); null means that
 * @param compaction when the Raft log is cut short behind a snapshot
 */
public record HaConfig(String selfId, List<Member> members, Path directory, long electionTimeoutMillis,
    InetSocketAddress bindAddress, Compaction compaction) {
  /** Ratis's default minimum election timeout. */
  public static final long DEFAULT_ELECTION_TIMEOUT_MILLIS = 150;
  /** Groups of these sizes: one member to try it out, three or five to survive one or two losses. */
  static final Set<Integer> GROUP_SIZES = Set.of(1, 3, 5);

  /**
   * A snapshot (a pointer to the tip) every {@code snapshotEveryEntries} applied entries; the log
   * is kept in segments of {@code logSegmentBytes}, and closed segments more than
   * {@code snapshotEveryEntries} before the snapshot are deleted. The log on disk is thus bounded
   * by about two snapshot periods of blocks and a segment.
   */
  public record Compaction(long snapshotEveryEntries, long logSegmentBytes) {
    /** About 3 MB of regtest blocks between snapshots, in 1 MiB segments. */
    public static final Compaction DEFAULT = new Compaction(10_000, 1 << 20);

    public Compaction {
      if (snapshotEveryEntries <= 0 || logSegmentBytes <= 0) {
        throw new IllegalArgumentException("snapshot period and log segment size must be positive");
      }
    }
  }

  /** One member: its id and where its Raft server listens. */
  public record Member(String id, InetSocketAddress address) {
    @Override
    public String toString() {
      return id + "@" + HostPort.format(address);
    }
  }

  public HaConfig {
    members = List.copyOf(members);
    if (!GROUP_SIZES.contains(members.size())) {
      throw new IllegalArgumentException("an HA group has 1, 3 or 5 members, not " + members.size());
    }
    Set<String> ids = new HashSet<>();
    for (Member member : members) {
      if (!ids.add(member.id())) {
        throw new IllegalArgumentException("HA member id " + member.id() + " appears twice");
      }
    }
    if (!ids.contains(selfId)) {
      throw new IllegalArgumentException("--ha-id " + selfId + " is not among the members " + ids);
    }
    if (electionTimeoutMillis <= 0) {
      throw new IllegalArgumentException("election timeout must be positive");
    }
    if (bindAddress == null) {
      bindAddress = memberNamed(members, selfId).address();
    }
    if (compaction == null) {
      compaction = Compaction.DEFAULT;
    }
  }

  /** A member whose Raft server listens at its address in {@code members}, compacting by default. */
  public HaConfig(String selfId, List<Member> members, Path directory, long electionTimeoutMillis) {
    this(selfId, members, directory, electionTimeoutMillis, null, null);
  }

  public Member self() {
    return memberNamed(members, selfId);
  }

  private static Member memberNamed(List<Member> members, String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
  }

  /** Parses {@code ID@HOST:PORT,ID@HOST:PORT,...}; ids are letters, digits, '-' and '_'. */
  public static List<Member> parseMembers(String text) {
    List<Member> members = new ArrayList<>();
    for (String entry : text.split(",")) {
      String trimmed = entry.strip();
      int at = trimmed.indexOf('@');
      if (at <= 0 || !trimmed.substring(0, at).matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("HA member '" + trimmed + "' is not ID@HOST:PORT");
      }
      members.add(new Member(trimmed.substring(0, at), HostPort.parse(trimmed.substring(at + 1), -1)));
    }
    return members;
  }
}
