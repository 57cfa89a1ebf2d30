package io.peerd.peer;

import static io.peerd.peer.Parked.parkedOnNewThread;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.peer.SendQueue.Offer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SendQueueTest {
  private static final long WAIT_SECONDS = 10;
  private final AtomicInteger writerGone = new AtomicInteger();

  private SendQueue queue(long capacityBytes) {
    return new SendQueue(capacityBytes, writerGone::incrementAndGet);
  }

  @Test
  void offersUpToTheCapAndRefusesPastIt() {
    SendQueue queue = queue(10);
    assertThat(queue.offer(new byte[6])).isEqualTo(Offer.QUEUED_START_WRITER);
    assertThat(queue.offer(new byte[4])).isEqualTo(Offer.QUEUED);
    assertThat(queue.queuedBytes()).isEqualTo(10);
    assertThat(queue.offer(new byte[1])).as("one byte past the cap").isEqualTo(Offer.REFUSED);
    assertThat(queue.offer(new byte[0])).isEqualTo(Offer.QUEUED);
    assertThat(queue.queuedBytes()).isEqualTo(10);
  }

  @Test
  void aFrameLargerThanTheCapIsRefusedEvenWhenEmpty() {
    assertThat(queue(10).offer(new byte[11])).isEqualTo(Offer.REFUSED);
  }

  @Test
  void theWriterTakesFramesInOrderAndStopsWhenEmptyAndTheNextOfferStartsAnother() {
    SendQueue queue = queue(100);
    byte[] first = {1};
    byte[] second = {2, 2};
    queue.offer(first);
    queue.offer(second);
    assertThat(queue.nextOrStop()).isSameAs(first);
    assertThat(queue.queuedBytes()).isEqualTo(2);
    assertThat(queue.nextOrStop()).isSameAs(second);
    assertThat(queue.queuedBytes()).isZero();

    assertThat(queue.nextOrStop()).as("empty: the writer stops").isNull();
    assertThat(queue.offer(new byte[1])).isEqualTo(Offer.QUEUED_START_WRITER);
    assertThat(writerGone).hasValue(0);
  }

  @Test
  void closingWithNoWriterRunningTellsAtOnceAndOnlyOnce() {
    SendQueue queue = queue(100);
    queue.offer(new byte[5]);
    queue.nextOrStop();
    queue.nextOrStop();

    queue.close();
    queue.close();

    assertThat(writerGone).hasValue(1);
    assertThat(queue.offer(new byte[1])).isEqualTo(Offer.REFUSED);
  }

  @Test
  void closingWhileAWriterRunsTellsWhenThatWriterStops() throws Exception {
    SendQueue queue = queue(100);
    queue.offer(new byte[5]);
    queue.offer(new byte[5]);
    queue.nextOrStop();

    queue.close();
    assertThat(writerGone).as("the writer is still writing").hasValue(0);
    assertThat(queue.nextOrStop()).isNull();
    assertThat(writerGone).hasValue(1);
    assertThat(queue.awaitBelow(1)).isFalse();
  }

  @Test
  void aWriterWhoseWriteFailedStopsAndIsToldAfterTheClose() {
    SendQueue queue = queue(100);
    queue.offer(new byte[5]);
    queue.nextOrStop();

    queue.close();
    queue.writerFailed();

    assertThat(writerGone).hasValue(1);
  }

  @Test
  void aQueueThatNeverHadAWriterIsGoneWhenClosed() {
    SendQueue queue = queue(100);
    queue.close();
    assertThat(writerGone).hasValue(1);
  }

  @Test
  void awaitBelowReturnsAtOnceWhenAlreadyBelow() throws Exception {
    SendQueue queue = queue(100);
    queue.offer(new byte[5]);
    assertThat(queue.awaitBelow(6)).isTrue();
  }

  @Test
  void aReaderWaitingForRoomWakesWhenTheWriterDrainsBelowTheMark() throws Exception {
    SendQueue queue = queue(100);
    queue.offer(new byte[40]);
    queue.offer(new byte[40]);
    CompletableFuture<Boolean> below = parkedOnNewThread(() -> queue.awaitBelow(50));
    assertThat(queue.nextOrStop()).hasSize(40);
    assertThat(below.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.queuedBytes()).isEqualTo(40);
  }

  @Test
  void closeWakesAReaderWaitingForRoom() throws Exception {
    SendQueue queue = queue(100);
    queue.offer(new byte[80]);
    CompletableFuture<Boolean> below = parkedOnNewThread(() -> queue.awaitBelow(10));
    queue.close();
    assertThat(below.get(WAIT_SECONDS, TimeUnit.SECONDS)).isFalse();
  }
}
