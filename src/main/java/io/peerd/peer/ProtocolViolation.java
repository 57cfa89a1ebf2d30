package io.peerd.peer;

/** The remote broke the protocol: disconnect, adding {@code score} to its misbehavior. */
final class ProtocolViolation extends Exception {
  private final int score;

  ProtocolViolation(int score, String message) {
    super(message);
    this.score = score;
  }

  int score() {
    return score;
  }
}
