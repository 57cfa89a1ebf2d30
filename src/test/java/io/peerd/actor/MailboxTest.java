package io.peerd.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The mailbox alone, on one thread: FIFO across both kinds, the counted bound, withdrawal, close. */
class MailboxTest {
  private final Mailbox mailbox = new Mailbox(2);

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new Mailbox(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void takingACountedMessageFreesItsSlot() throws Exception {
    assertThat(mailbox.offer("a")).isEqualTo(Mailbox.Delivery.QUEUED);
    assertThat(mailbox.offer("b")).isEqualTo(Mailbox.Delivery.QUEUED);
    assertThat(mailbox.offer("c")).isEqualTo(Mailbox.Delivery.FULL);
    assertThat(mailbox.putBounded("d")).isEqualTo(Mailbox.Delivery.QUEUED);

    assertThat(mailbox.take()).isEqualTo("a");
    assertThat(mailbox.offer("e")).isEqualTo(Mailbox.Delivery.QUEUED);
    assertThat(mailbox.size()).isEqualTo(3);
    assertThat(mailbox.refusedCount()).isEqualTo(1);
  }

  @Test
  void withdrawingACountedNeighbourKeepsTheOrderAndTheCount() throws Exception {
    Mailbox.Entry first = mailbox.putWithdrawable("first");
    mailbox.offer("counted");
    Mailbox.Entry last = mailbox.putWithdrawable("last");

    assertThat(mailbox.withdraw(last)).isTrue();
    assertThat(mailbox.withdraw(first)).isTrue();
    assertThat(mailbox.size()).isEqualTo(1);
    mailbox.offer("second counted");
    assertThat(mailbox.offer("refused")).isEqualTo(Mailbox.Delivery.FULL);
    assertThat(mailbox.take()).isEqualTo("counted");
    assertThat(mailbox.take()).isEqualTo("second counted");
  }

  @Test
  void closeReturnsWhatIsQueuedInOrderAndTurnsAwayLaterSends() {
    mailbox.offer("a");
    mailbox.putBounded("b");
    Mailbox.Entry c = mailbox.putWithdrawable("c");

    assertThat(mailbox.close()).containsExactly("a", "b", "c");
    assertThat(mailbox.withdraw(c)).isFalse();
    assertThat(mailbox.offer("late")).isEqualTo(Mailbox.Delivery.CLOSED);
    assertThat(mailbox.putBounded("late")).isEqualTo(Mailbox.Delivery.CLOSED);
    assertThat(mailbox.putWithdrawable("late")).isNull();
    assertThat(mailbox.size()).isZero();
    assertThat(mailbox.refusedCount()).isZero();
  }
}
