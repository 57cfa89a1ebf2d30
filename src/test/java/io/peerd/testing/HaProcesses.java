package io.peerd.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.node.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An HA group of peerd {@link Main} processes on 127.0.0.1, each a JVM of its own producing blocks
 * as Raft leader, which can be killed with SIGKILL and restarted on the same ports and data:
 * what {@code HaKillTest} and the HA benchmark share. Logs go to {@code <dir>/<id>-<start>.log}.
 */
public final class HaProcesses implements AutoCloseable {
  private static final Duration LEADER_POLL = Duration.ofMillis(50);
  /** Fine enough for the failover time the benchmark reports. */
  private static final Duration FAILOVER_POLL = Duration.ofMillis(20);
  private static final Duration CATCH_UP_POLL = Duration.ofMillis(100);
  private static final long EXIT_WAIT_SECONDS = 10;

  private final Path dir;
  private final String intervalSeconds;
  private final Duration bound;
  private final List<Member> members = new ArrayList<>();
  private final String raftPeers;

  /**
   * Starts one member per id, producing every {@code intervalSeconds} (as {@code
   * --produce-interval} takes it); {@code bound} limits every wait (JVM start, store open,
   * election).
   */
  public static HaProcesses start(Path dir, List<String> ids, String intervalSeconds, Duration bound)
      throws IOException {
    HaProcesses group = new HaProcesses(dir, ids, intervalSeconds, bound);
    try {
      for (Member member : group.members) {
        member.start();
      }
      return group;
    } catch (IOException | RuntimeException e) {
      group.close();
      throw e;
    }
  }

  private HaProcesses(Path dir, List<String> ids, String intervalSeconds, Duration bound) throws IOException {
    this.dir = dir;
    this.intervalSeconds = intervalSeconds;
    this.bound = bound;
    for (String id : ids) {
      members.add(new Member(id));
    }
    this.raftPeers = members.stream().map(m -> m.id + "@127.0.0.1:" + m.raftPort).collect(Collectors.joining(","));
  }

  public List<Member> members() {
    return List.copyOf(members);
  }

  /** The members' P2P ports, where each listens on 127.0.0.1. */
  public List<Integer> p2pPorts() {
    return members.stream().map(m -> m.p2pPort).toList();
  }

  /**
   * Waits until exactly one member says it leads, and returns it: the one that poll saw, since a
   * second look may catch an election or a slow answer.
   */
  public Member awaitLeader(String round) {
    return await(round + ": one leader").atMost(bound).pollInterval(LEADER_POLL)
        .until(this::soleLeader, Optional::isPresent).orElseThrow();
  }

  private Optional<Member> soleLeader() {
    List<Member> leaders = members.stream().filter(Member::isLeader).toList();
    return leaders.size() == 1 ? Optional.of(leaders.getFirst()) : Optional.empty();
  }

  /**
   * Kills the leader with SIGKILL (no shutdown hook runs), waits until a survivor holds a block
   * two past the killed leader's height (an election and at least one block of the new leader's),
   * then restarts the killed member and waits until it caught up with the survivors.
   *
   * @return the milliseconds from the kill to that block
   */
  public long killLeaderAndRestart(String round) throws IOException, InterruptedException {
    Member leader = awaitLeader(round);
    int heightAtKill = leader.height();
    leader.process.destroyForcibly().waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
    long killedNanos = System.nanoTime();

    List<Member> survivors = members.stream().filter(m -> m != leader).toList();
    await(round + ": a new leader produces past height " + heightAtKill).atMost(bound).pollInterval(FAILOVER_POLL)
        .until(() -> survivors.stream().anyMatch(m -> m.height() > heightAtKill + 1));
    long failoverMillis = (System.nanoTime() - killedNanos) / 1_000_000;

    leader.start();
    int target = survivors.getFirst().height();
    await(round + ": member " + leader.id + " is back and caught up to " + target).atMost(bound)
        .pollInterval(CATCH_UP_POLL).until(() -> leader.height() >= target);
    return failoverMillis;
  }

  /** The lowest height any member holds now (-1 if one does not answer). */
  public int commonHeight() {
    return members.stream().mapToInt(Member::height).min().orElseThrow();
  }

  /** "median M ms, worst W ms" of failover times ({@link #killLeaderAndRestart}); sorts them. */
  public static String summarize(List<Long> failoverMillis) {
    failoverMillis.sort(null);
    return "median " + failoverMillis.get(failoverMillis.size() / 2) + " ms, worst " + failoverMillis.getLast() + " ms";
  }

  /** Kills every member still running. */
  @Override
  public void close() {
    for (Member member : members) {
      member.kill();
    }
  }

  /** One member: its ports, data directory and current process. */
  public final class Member {
    private final String id;
    private final int raftPort = TestNodes.freePort();
    private final int p2pPort = TestNodes.freePort();
    private final int rpcPort = TestNodes.freePort();
    private final Path datadir;
    private final NodeRpcClient rpc;
    private Process process;
    private int starts;

    private Member(String id) throws IOException {
      this.id = id;
      this.datadir = dir.resolve(id);
      this.rpc = NodeRpcClient.withCookie(rpcPort, datadir.resolve("regtest"));
    }

    private void start() throws IOException {
      String java = ProcessHandle.current().info().command().orElseThrow();
      Path log = dir.resolve(id + "-" + starts++ + ".log");
      process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
          System.getProperty("java.class.path"), Main.class.getName(), "--regtest", "--datadir", datadir.toString(),
          "--listen", "127.0.0.1:" + p2pPort, "--rpcport", String.valueOf(rpcPort),
          "--produce-interval", intervalSeconds, "--produce-address", TestNodes.REGTEST_ADDRESS,
          "--ha-id", id, "--ha-peers", raftPeers)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void kill() {
      if (process != null && process.isAlive()) {
        try {
          process.destroyForcibly().waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    public String id() {
      return id;
    }

    /** Its answer to RPC gethainfo; empty while it is down or does not answer. */
    public Optional<JsonNode> haInfo() {
      try {
        return process.isAlive() ? Optional.of(rpc.call("gethainfo")) : Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    }

    public boolean isLeader() {
      return haInfo().map(i -> i.path("role").asText().equals("leader")).orElse(false);
    }

    /** Its chain's height; -1 while it is down or does not answer. */
    public int height() {
      try {
        return rpc.call("getblockcount").asInt();
      } catch (Exception e) {
        return -1;
      }
    }

    /** The hash of its block at {@code height}, in RPC order. */
    public String blockHash(int height) {
      try {
        return rpc.call("getblockhash", height).asText();
      } catch (Exception e) {
        throw new AssertionError(id + " has no block at " + height, e);
      }
    }
  }
}
