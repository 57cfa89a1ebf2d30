package io.peerd.peer;

import io.peerd.wire.FrameHeader;
import io.peerd.wire.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * A peer's outgoing side: frames each message into the byte-capped {@link SendQueue} (from any
 * thread, never blocking), starting a writer thread when none runs, which drains the queue to the
 * socket and ends when it is empty: an idle peer holds no writer. A frame that does not fit runs
 * the overflow action, which disconnects the peer as too slow.
 */
final class Outbox {
  private final int magic;
  private final SendQueue queue;
  private final PeerStats stats;
  private final Runnable overflowed;
  private final Runnable startWriter;

  /**
   * @param startWriter starts a thread that calls {@link #drainTo}; must not block
   * @param writerGone runs once, when the outbox is closed and no writer runs
   */
  Outbox(PeerConfig config, PeerStats stats, Runnable overflowed, Runnable startWriter, Runnable writerGone) {
    this.magic = config.params().magic();
    this.queue = new SendQueue(config.sendQueueCapacityBytes(), writerGone);
    this.stats = stats;
    this.overflowed = overflowed;
    this.startWriter = startWriter;
  }

  /** False if the queue is closed or full (then after running the overflow action). */
  boolean send(Message message) {
    return sendFrame(message.command(), message.payload());
  }

  /** Like {@link #send}, for a payload already encoded (a stored block). */
  boolean sendFrame(String command, byte[] payload) {
    switch (queue.offer(FrameHeader.encode(magic, command, payload))) {
      case QUEUED -> {
        return true;
      }
      case QUEUED_START_WRITER -> {
        startWriter.run();
        return true;
      }
      case REFUSED -> {
        overflowed.run();
        return false;
      }
    }
    throw new AssertionError("unreachable");
  }

  /** Waits until fewer than {@code bytes} are unsent; false if the queue closed first. */
  boolean awaitBelow(long bytes) throws InterruptedException {
    return queue.awaitBelow(bytes);
  }

  /**
   * A writer thread's run: writes each frame, flushing when the queue runs empty, until it is empty
   * or closed. A failed write goes to {@code failed}, which must close the outbox.
   */
  void drainTo(OutputStream output, Consumer<Exception> failed) {
    boolean stoppedByQueue = false;
    try {
      byte[] frame;
      while ((frame = queue.nextOrStop()) != null) {
        output.write(frame);
        stats.sent(frame);
        if (queue.isEmpty()) {
          output.flush();
        }
      }
      stoppedByQueue = true;
    } catch (IOException | RuntimeException e) {
      failed.accept(e);
    } finally {
      if (!stoppedByQueue) {
        queue.writerFailed();
      }
    }
  }

  /** Drops what is unsent and wakes the writer and any waiter. */
  void close() {
    queue.close();
  }
}
