package io.peerd.api;

/** The node could not do what was asked: open its data directory, start, mine, read a block. */
public final class PeerdException extends RuntimeException {
  PeerdException(String message, Throwable cause) {
    super(message, cause);
  }

  PeerdException(String message) {
    super(message);
  }
}
