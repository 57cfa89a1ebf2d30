package io.peerd.store;

/** Validation state of a stored header. Invalid headers are kept so they are refused again. */
public enum HeaderStatus {
  /** Passed every header check (and block checks, if its block is stored). */
  VALID,
  /** Failed a header or block check itself. */
  INVALID,
  /** Descends from an invalid header. */
  INVALID_ANCESTOR;

  public boolean isInvalid() {
    return this != VALID;
  }
}
