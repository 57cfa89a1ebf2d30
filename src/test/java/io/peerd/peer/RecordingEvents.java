package io.peerd.peer;

import io.peerd.wire.Message;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records, in order, what a peer tells the server: its version, "added", "done", what it forwards. */
final class RecordingEvents implements PeerEvents {
  final List<String> facts = new CopyOnWriteArrayList<>();

  @Override
  public void versionReceived(ManagedPeer peer, Message.Version version) {
    facts.add("version");
  }

  @Override
  public void peerAdded(PeerHandle peer) {
    facts.add("added");
  }

  @Override
  public void peerDone(PeerHandle peer, boolean wasAdded) {
    facts.add(wasAdded ? "done after added" : "done, never added");
  }

  @Override
  public void syncMessage(Received received) {
    facts.add("sync message " + received.message().command());
  }

  @Override
  public void addressMessage(Received received) {
    facts.add("address message " + received.message().command());
  }

  @Override
  public void misbehaved(PeerHandle peer, String reason) {
    facts.add("misbehaved");
  }
}
