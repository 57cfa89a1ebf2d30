package io.peerd.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerd.actor.Mailbox;
import io.peerd.chain.Chain;
import io.peerd.chain.ChainActor;
import io.peerd.chain.ChainSnapshot;
import io.peerd.peer.ConnectionKind;
import io.peerd.peer.DisconnectReason;
import io.peerd.peer.PeerHandle;
import io.peerd.peer.Received;
import io.peerd.peer.Services;
import io.peerd.testing.ManualTimers;
import io.peerd.testing.TestChains;
import io.peerd.testing.TestNodes;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import io.peerd.wire.InventoryItem;
import io.peerd.wire.Message;
import io.peerd.wire.NetworkAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sync manager with a real chain actor, against a scripted peer. */
class SyncManagerTest {
  private final List<BlockHeader> headers = TestChains.mine(2).stream().map(Block::header).toList();
  private final ScriptedPeer peer = new ScriptedPeer();
  private ChainActor chainActor;
  private SyncManager sync;

  @AfterEach
  void stop() {
    sync.stop();
    chainActor.stop();
  }

  /** Seed 000's shape: sync must never sit idle while a peer has headers it did not get. */
  @Test
  void headersTheBusyChainRefusedAreAskedForAgain() {
    startWithChainMailbox(1);
    sync.start();
    sync.peerAdded(peer);
    await().atMost(TestNodes.PROMPTLY).until(() -> peer.getHeadersSent() == 1);

    // The answer fills the chain's mailbox (its thread is not running yet), so the chain
    // refuses the next header, an announcement: the peer's last word on its chain.
    sync.received(peer.deliver(new Message.Headers(headers.subList(0, 1))));
    sync.received(peer.deliver(new Message.Headers(headers.subList(1, 2))));
    await().atMost(TestNodes.PROMPTLY).until(() -> peer.handled.size() == 2);
    chainActor.start();

    assertAskedAgainFrom(headers.getFirst());
  }

  /** An announcement that arrives while a request is out may lie beyond that request's answer. */
  @Test
  void anAnnouncementThatOvertookTheAnswerIsAskedForAfterIt() {
    startWithChainMailbox(64);
    chainActor.start();
    sync.start();
    sync.peerAdded(peer);
    await().atMost(TestNodes.PROMPTLY).until(() -> peer.getHeadersSent() == 1);

    sync.received(peer.deliver(new Message.Headers(headers.subList(1, 2))));
    sync.received(peer.deliver(new Message.Headers(headers.subList(0, 1))));

    assertAskedAgainFrom(headers.getFirst());
  }

  /** A block announced while its header waits at the chain is on its way: no second request. */
  @Test
  void anInvForAHeaderStillAtTheChainAsksForNothing() {
    startWithChainMailbox(64); // its thread is not started: the header stays queued there
    sync.start();
    sync.peerAdded(peer);
    await().atMost(TestNodes.PROMPTLY).until(() -> peer.getHeadersSent() == 1);

    sync.received(peer.deliver(new Message.Headers(headers.subList(0, 1))));
    sync.received(peer.deliver(new Message.Inv(List.of(InventoryItem.block(headers.getFirst().hash())))));
    await().atMost(TestNodes.PROMPTLY).until(() -> peer.handled.size() == 2);

    assertThat(peer.getHeadersSent()).isEqualTo(1);
  }

  private void startWithChainMailbox(int capacity) {
    startWithMailboxes(capacity, 64);
  }

  private void startWithMailboxes(int chainCapacity, int syncCapacity) {
    Chain chain = TestChains.fresh();
    ChainListener listener = new ChainListener();
    chainActor = new ChainActor(chain, listener, () -> 0, new Mailbox(chainCapacity), Thread.ofVirtual().factory());
    sync = new SyncManager(SyncConfig.defaults(), chainActor, chain.view(), new ManualTimers(), () -> 0,
        new Mailbox(syncCapacity), Thread.ofVirtual().factory());
    listener.sync = sync;
  }

  /** Seed 001: the chain's notifications never wait for the sync manager, however busy it is. */
  @Test
  void theChainKeepsConnectingBlocksWhileTheSyncManagersMailboxIsFull() throws Exception {
    startWithMailboxes(64, 1);
    chainActor.start(); // the sync manager's thread is not started: its mailbox stays full
    assertThat(sync.received(peer.deliver(new Message.Headers(List.of())))).as("fills its one slot").isTrue();

    List<Hash> mined = chainActor.generate(3, new byte[] {0x51})
        .get(TestNodes.PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(mined).hasSize(3);
    sync.start();
  }

  private void assertAskedAgainFrom(BlockHeader chainBest) {
    await().atMost(TestNodes.PROMPTLY).until(() -> peer.getHeadersSent() == 2);
    assertThat(peer.lastGetHeaders().hashes().getFirst()).as("asked from what the chain now has")
        .isEqualTo(chainBest.hash());
  }

  /** Chain results go to the sync manager, as the node wires them. */
  private static final class ChainListener implements ChainActor.Listener {
    volatile SyncManager sync;

    @Override
    public void headersProcessed(ChainActor.Source source, List<BlockHeader> headers, Chain.HeadersResult result) {
      sync.headersProcessed(source, headers, result);
    }

    @Override
    public void blockProcessed(ChainActor.Source source, Hash hash, Chain.BlockResult result) {
      sync.blockProcessed(source, hash, result);
    }

    @Override
    public void tipChanged(ChainSnapshot snapshot) {
      sync.tipChanged();
    }
  }

  /** A full-node peer that records what sync sends it and counts the messages sync handled. */
  private static final class ScriptedPeer implements PeerHandle {
    final ConcurrentLinkedQueue<Message> sent = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Message> handled = new ConcurrentLinkedQueue<>();
    private final Message.Version version;

    ScriptedPeer() {
      NetworkAddress none = new NetworkAddress(0, new byte[16], 0);
      version = new Message.Version(70016, Services.NODE_NETWORK | Services.NODE_WITNESS, 0, none, none, 1,
          "/scripted/", 2, false, true); // claims the two headers it has
    }

    Received deliver(Message message) {
      return new Received(this, message, new byte[0], () -> handled.add(message));
    }

    long getHeadersSent() {
      return sent.stream().filter(m -> m instanceof Message.GetHeaders)
          .count();
    }

    Message.GetHeaders lastGetHeaders() {
      return (Message.GetHeaders) sent.stream().filter(m -> m instanceof Message.GetHeaders).reduce((a, b) -> b)
          .orElseThrow();
    }

    @Override
    public long id() {
      return 1;
    }

    @Override
    public ConnectionKind kind() {
      return ConnectionKind.OUTBOUND_FULL;
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return new InetSocketAddress("127.0.0.1", 18444);
    }

    @Override
    public Message.Version version() {
      return version;
    }

    @Override
    public boolean prefersHeaderAnnouncements() {
      return true;
    }

    @Override
    public boolean send(Message message) {
      sent.add(message);
      return true;
    }

    @Override
    public void disconnect(DisconnectReason reason, String detail) {}

    @Override
    public void newBlockDelivered() {}

    @Override
    public void misbehaving(int score, String reason) {}
  }
}
