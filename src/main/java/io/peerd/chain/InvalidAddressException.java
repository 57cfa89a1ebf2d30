package io.peerd.chain;

/** An address string that is malformed or belongs to another network; the message says which. */
public final class InvalidAddressException extends Exception {
  public InvalidAddressException(String message) {
    // No stack trace: this is a user's typo, reported back over RPC, not a fault in peerd.
    super(message, null, false, false);
  }
}
