package io.peerd.peer;

import static io.peerd.peer.Parked.parkedOnNewThread;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SendQueueTest {
  private static final long WAIT_SECONDS = 10;

  @Test
  void offersUpToTheCapAndRefusesPastIt() {
    SendQueue queue = new SendQueue(10);
    assertThat(queue.offer(new byte[6])).isTrue();
    assertThat(queue.offer(new byte[4])).isTrue();
    assertThat(queue.queuedBytes()).isEqualTo(10);
    assertThat(queue.offer(new byte[1])).as("one byte past the cap").isFalse();
    assertThat(queue.offer(new byte[0])).isTrue();
    assertThat(queue.queuedBytes()).isEqualTo(10);
  }

  @Test
  void aFrameLargerThanTheCapIsRefusedEvenWhenEmpty() {
    assertThat(new SendQueue(10).offer(new byte[11])).isFalse();
  }

  @Test
  void takeReturnsFramesInOrderAndFreesTheirBytes() throws Exception {
    SendQueue queue = new SendQueue(100);
    byte[] first = {1};
    byte[] second = {2, 2};
    queue.offer(first);
    queue.offer(second);
    assertThat(queue.take()).isSameAs(first);
    assertThat(queue.queuedBytes()).isEqualTo(2);
    assertThat(queue.take()).isSameAs(second);
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.queuedBytes()).isZero();
  }

  @Test
  void closeDropsTheFramesAndRefusesNewOnes() throws Exception {
    SendQueue queue = new SendQueue(100);
    queue.offer(new byte[5]);
    queue.close();
    assertThat(queue.queuedBytes()).isZero();
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.offer(new byte[1])).isFalse();
    assertThat(queue.take()).isNull();
    assertThat(queue.awaitBelow(1)).isFalse();
  }

  @Test
  void awaitBelowReturnsAtOnceWhenAlreadyBelow() throws Exception {
    SendQueue queue = new SendQueue(100);
    queue.offer(new byte[5]);
    assertThat(queue.awaitBelow(6)).isTrue();
  }

  @Test
  void aWaitingWriterWakesForAFrame() throws Exception {
    SendQueue queue = new SendQueue(100);
    CompletableFuture<byte[]> taken = parkedOnNewThread(queue::take);
    byte[] frame = {9};
    queue.offer(frame);
    assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(frame);
  }

  @Test
  void closeWakesAWaitingWriter() throws Exception {
    SendQueue queue = new SendQueue(100);
    CompletableFuture<byte[]> taken = parkedOnNewThread(queue::take);
    queue.close();
    assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void aReaderWaitingForRoomWakesWhenTheWriterDrainsBelowTheMark() throws Exception {
    SendQueue queue = new SendQueue(100);
    queue.offer(new byte[40]);
    queue.offer(new byte[40]);
    CompletableFuture<Boolean> below = parkedOnNewThread(() -> queue.awaitBelow(50));
    assertThat(queue.take()).hasSize(40);
    assertThat(below.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.queuedBytes()).isEqualTo(40);
  }

  @Test
  void closeWakesAReaderWaitingForRoom() throws Exception {
    SendQueue queue = new SendQueue(100);
    queue.offer(new byte[80]);
    CompletableFuture<Boolean> below = parkedOnNewThread(() -> queue.awaitBelow(10));
    queue.close();
    assertThat(below.get(WAIT_SECONDS, TimeUnit.SECONDS)).isFalse();
  }
}
