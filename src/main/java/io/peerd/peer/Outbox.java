package io.peerd.peer;

import io.peerd.wire.FrameHeader;
import io.peerd.wire.Message;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A peer's outgoing side: frames each message into the byte-capped {@link SendQueue} (from any
 * thread, never blocking), and on the peer's writer thread drains the queue to the socket. A
 * frame that does not fit runs the overflow action, which disconnects the peer as too slow.
 */
final class Outbox {
  private final int magic;
  private final SendQueue queue;
  private final PeerStats stats;
  private final Runnable overflowed;

  Outbox(PeerConfig config, PeerStats stats, Runnable overflowed) {
    this.magic = config.params().magic();
    this.queue = new SendQueue(config.sendQueueCapacityBytes());
    this.stats = stats;
    this.overflowed = overflowed;
  }

  /** False if the queue is closed or full (then after running the overflow action). */
  boolean send(Message message) {
    return sendFrame(message.command(), message.payload());
  }

  /** Like {@link #send}, for a payload already encoded (a stored block). */
  boolean sendFrame(String command, byte[] payload) {
    if (queue.offer(FrameHeader.encode(magic, command, payload))) {
      return true;
    }
    overflowed.run();
    return false;
  }

  /** Waits until fewer than {@code bytes} are unsent; false if the queue closed first. */
  boolean awaitBelow(long bytes) throws InterruptedException {
    return queue.awaitBelow(bytes);
  }

  /** The writer thread's loop: writes each frame, flushing when the queue runs empty, until closed. */
  void drainTo(OutputStream output) throws IOException, InterruptedException {
    byte[] frame;
    while ((frame = queue.take()) != null) {
      output.write(frame);
      stats.sent(frame);
      if (queue.isEmpty()) {
        output.flush();
      }
    }
  }

  /** Drops what is unsent and wakes the writer and any waiter. */
  void close() {
    queue.close();
  }
}
