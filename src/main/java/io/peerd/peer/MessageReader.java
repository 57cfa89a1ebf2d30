package io.peerd.peer;

import io.peerd.net.Connection;
import io.peerd.wire.FrameHeader;
import io.peerd.wire.Message;
import io.peerd.wire.MessageCodec;
import io.peerd.wire.WireException;
import java.io.IOException;

/** Reads a peer's messages one frame at a time, counting each frame's bytes; reader thread only. */
final class MessageReader {
  /** A decoded message with its raw payload (a block is stored exactly as received). */
  record Incoming(Message message, byte[] payload) {}

  private final Connection connection;
  private final int magic;
  private final PeerStats stats;

  MessageReader(Connection connection, int magic, PeerStats stats) {
    this.connection = connection;
    this.magic = magic;
    this.stats = stats;
  }

  Incoming next() throws IOException, WireException {
    MessageCodec.RawMessage raw = MessageCodec.read(connection.input(), magic);
    stats.received(raw.command(), FrameHeader.SIZE_BYTES + raw.payload().length);
    return new Incoming(MessageCodec.decodePayload(raw.command(), raw.payload()), raw.payload());
  }

  Message nextMessage() throws IOException, WireException {
    return next().message();
  }
}
