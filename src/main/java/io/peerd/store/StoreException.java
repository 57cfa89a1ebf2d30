package io.peerd.store;

/** The store cannot be opened or used: corrupt, foreign, of another network, locked, or I/O failed. */
public final class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
