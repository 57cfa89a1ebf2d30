package io.peerd.chain;

/**
 * A header or block broke a consensus rule. {@link #reason()} is Bitcoin Core's short reject
 * reason ("high-hash", "bad-txnmrklroot", ...), so logs and peers can compare notes.
 */
public final class VerificationException extends Exception {
  private final String reason;

  public VerificationException(String reason, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
