package io.peerd.ha;

import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainView;
import io.peerd.net.HostPort;
import io.peerd.wire.Block;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in a Raft group that produces blocks: its Ratis server, the {@link BlockLog}
 * it applies, and the production step a leader runs each interval ({@link #produceIfLeader}).
 *
 * <p>Fencing: a step proposes only if this member is the leader of a term and is ready (its first
 * entry of the term applied, and with it everything committed before); it builds on the applied
 * tip and checks, at the moment of proposing, that it still leads that same term. One proposal is
 * in flight at a time (the interval producer waits for its commit). A proposal that
 * raced a new leader anyway reaches the log with a parent that is no longer the tip, and every
 * member refuses it alike.
 */
public final class HaMember implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HaMember.class);
  /** How long a proposal may wait for its commit before the step counts as failed. */
  static final long PROPOSAL_TIMEOUT_MILLIS = 5_000;
  private static final long PROPOSER_STOP_MILLIS = 5_000;
  /** Snapshot files kept: the latest and the one before, while a follower may still be sent it. */
  private static final int SNAPSHOTS_KEPT = 2;

  /** What {@code gethainfo} shows. */
  public record Info(String role, long term, String leaderId, long commitIndex, long appliedIndex,
      long lastProducedHeight, long proposedBlocks, long failedProposals, long refusedEntries, long snapshotIndex,
      long snapshotsInstalled, long logStartIndex, List<PeerInfo> peers) {}

  /** A member as this one sees it; {@code reachable} is known on the leader only (null elsewhere). */
  public record PeerInfo(String id, String address, Boolean reachable) {}

  private final HaConfig config;
  private final ChainActor chain;
  private final ChainView view;
  private final RaftGroup group;
  private final RaftPeerId selfId;
  private final BlockLog blockLog;
  private final RaftServer server;
  private final RaftServer.Division division;
  private final ExecutorService proposer;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callId = new AtomicLong();
  private final AtomicLong lastProducedHeight = new AtomicLong(-1);
  /** Blocks sent to Raft past the fence; those whose commit failed or timed out (a leader cut off). */
  private final AtomicLong proposedBlocks = new AtomicLong();
  private final AtomicLong failedProposals = new AtomicLong();

  private HaMember(HaConfig config, ChainActor chain, ChainView view, RaftGroup group, BlockLog blockLog,
      RaftServer server, ExecutorService proposer) throws IOException {
    this.config = config;
    this.chain = chain;
    this.view = view;
    this.group = group;
    this.selfId = RaftPeerId.valueOf(config.selfId());
    this.blockLog = blockLog;
    this.server = server;
    this.division = server.getDivision(group.getGroupId());
    this.proposer = proposer;
  }

  /**
   * Starts this member's Raft server; the chain actor must be running (committed entries are
   * applied from here on).
   *
   * @param networkName part of the group's identity, so members of different networks never join
   * @param threads makes the one thread proposals are sent from (off the chain and timer threads); its
   *     queue holds at most one task, as the interval producer runs one step at a time
   */
  public static HaMember start(HaConfig config, String networkName, ChainActor chain, ChainView view,
      ThreadFactory threads) throws IOException {
    RaftGroup group = RaftGroup.valueOf(groupId(networkName, config), config.members().stream()
        .map(m -> RaftPeer.newBuilder().setId(m.id()).setAddress(HostPort.format(m.address())).build())
        .toList());
    BlockLog blockLog = new BlockLog(chain, view);
    boolean formatted = Files.isDirectory(config.directory().resolve(group.getGroupId().getUuid().toString()));
    RaftServer server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(config.selfId()))
        .setGroup(group)
        .setProperties(properties(config))
        .setStateMachine(blockLog)
        .setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
    ExecutorService proposer = Executors.newSingleThreadExecutor(threads);
    try {
      server.start();
      HaMember member = new HaMember(config, chain, view, group, blockLog, server, proposer);
      log.info("HA member {} of {} started; Raft log in {}", config.selfId(), config.members(), config.directory());
      return member;
    } catch (IOException | RuntimeException e) {
      proposer.shutdownNow();
      server.close();
      throw e;
    }
  }

  /** The production step: propose one block if this member leads, else nothing. Never blocks. */
  public CompletableFuture<?> produceIfLeader(byte[] payTo) {
    DivisionInfo info = division.getInfo();
    // Ready: the first entry of this leader's term is applied, so is everything committed before it.
    if (!info.isLeader() || !info.isLeaderReady()) {
      return CompletableFuture.completedFuture(null); // a follower, or a new leader still catching up
    }
    long term = info.getCurrentTerm();
    return chain.build(payTo).thenComposeAsync(block -> propose(block, term), proposer);
  }

  private CompletableFuture<RaftClientReply> propose(Block block, long term) {
    try {
      DivisionInfo info = division.getInfo();
      if (!info.isLeader() || info.getCurrentTerm() != term) {
        return CompletableFuture.completedFuture(null); // fenced: deposed between building and proposing
      }
      RaftClientRequest request = RaftClientRequest.newBuilder()
          .setClientId(clientId).setServerId(selfId).setGroupId(group.getGroupId())
          .setCallId(callId.incrementAndGet())
          .setMessage(Message.valueOf(ByteString.copyFrom(block.serialize(true))))
          .setType(RaftClientRequest.writeRequestType())
          .build();
      int height = view.header(block.header().previousHash()).orElseThrow().height() + 1;
      proposedBlocks.incrementAndGet();
      return server.submitClientRequestAsync(request)
          .orTimeout(PROPOSAL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
          .thenApply(reply -> {
            if (!reply.isSuccess()) {
              throw new IllegalStateException("proposal of block " + block.hash() + " failed: " + reply.getException());
            }
            if ("CONNECTED".equals(reply.getMessage().getContent().toString(StandardCharsets.UTF_8))) {
              lastProducedHeight.set(height);
            }
            return reply;
          })
          .whenComplete((reply, failure) -> {
            if (failure != null) {
              failedProposals.incrementAndGet();
            }
          });
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Committed entries applied since start with this outcome. */
  long appliedCount(ChainActor.AppliedOutcome outcome) {
    return blockLog.outcomeCount(outcome);
  }

  public Info info() {
    DivisionInfo info = division.getInfo();
    RoleInfoProto role = info.getRoleInfoProto();
    Map<String, Long> lastHeardMillis = role.hasLeaderInfo()
        ? role.getLeaderInfo().getFollowerInfoList().stream().collect(Collectors.toMap(
            f -> f.getId().getId().toStringUtf8(), f -> f.getLastRpcElapsedTimeMs(), (a, b) -> a))
        : Map.of();
    List<PeerInfo> peers = config.members().stream()
        .map(m -> new PeerInfo(m.id(), HostPort.format(m.address()), m.id().equals(config.selfId()) ? Boolean.TRUE
            : !info.isLeader() ? null
            : lastHeardMillis.containsKey(m.id()) && lastHeardMillis.get(m.id()) < 2 * electionTimeoutMax(config)))
        .toList();
    RaftPeerId leader = info.getLeaderId();
    SnapshotInfo snapshot = blockLog.getLatestSnapshot();
    return new Info(info.getCurrentRole().name().toLowerCase(java.util.Locale.ROOT), info.getCurrentTerm(),
        leader == null ? null : leader.toString(), division.getRaftLog().getLastCommittedIndex(),
        info.getLastAppliedIndex(), lastProducedHeight.get(), proposedBlocks.get(), failedProposals.get(),
        blockLog.refusedCount(), snapshot == null ? -1 : snapshot.getIndex(), blockLog.snapshotsInstalled(),
        division.getRaftLog().getStartIndex(), peers);
  }

  @Override
  public void close() throws IOException {
    blockLog.stopWaiting();
    proposer.shutdownNow();
    try {
      if (!proposer.awaitTermination(PROPOSER_STOP_MILLIS, TimeUnit.MILLISECONDS)) {
        log.warn("HA proposer did not stop within {} ms", PROPOSER_STOP_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
  }

  private static RaftGroupId groupId(String networkName, HaConfig config) {
    String identity = "peerd-ha:" + networkName + ":" + config.members().stream().map(HaConfig.Member::id).sorted()
        .collect(Collectors.joining(","));
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)));
  }

  private static long electionTimeoutMax(HaConfig config) {
    return 2 * config.electionTimeoutMillis();
  }

  private static RaftProperties properties(HaConfig config) {
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(config.directory().toFile()));
    RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
    NettyConfigKeys.Server.setHost(properties, config.bindAddress().getAddress().getHostAddress());
    NettyConfigKeys.Server.setPort(properties, config.bindAddress().getPort());
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties,
        TimeDuration.valueOf(config.electionTimeoutMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties,
        TimeDuration.valueOf(electionTimeoutMax(config), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
    // None at stop: a restart finds its place from the position stored with each block, after a
    // stop or a kill alike, not from a snapshot only a clean stop would leave.
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.compaction().snapshotEveryEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, SNAPSHOTS_KEPT);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
    RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(Integer.MAX_VALUE,
        config.compaction().snapshotEveryEntries()));
    // A member back from a short outage finds its entries in the log, not only behind a snapshot.
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(properties, config.compaction().snapshotEveryEntries());
    RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(config.compaction().logSegmentBytes()));
    return properties;
  }
}
