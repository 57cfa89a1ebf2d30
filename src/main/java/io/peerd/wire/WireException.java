package io.peerd.wire;

/**
 * A typed failure to decode bytes from the network or from disk. Each subclass names one way
 * input can be wrong, so callers can react (disconnect, ban, refuse) without parsing messages.
 * Decoders throw nothing else for bad input.
 */
public abstract sealed class WireException extends Exception
    permits WireException.BadMagic, WireException.BadChecksum, WireException.Truncated,
        WireException.FrameTooLarge, WireException.LimitExceeded, WireException.Malformed {

  private WireException(String message) {
    super(message, null, false, false); // no stack trace: bad input is expected, not a bug
  }

  /** The frame starts with another network's magic (or with garbage). */
  public static final class BadMagic extends WireException {
    public BadMagic(int expected, int actual) {
      super(String.format("bad network magic: expected %08x, got %08x", expected, actual));
    }
  }

  /** The payload's double-SHA256 does not match the frame header's checksum. */
  public static final class BadChecksum extends WireException {
    public BadChecksum(String command, int expected, int actual) {
      super(String.format("bad checksum for '%s': header says %08x, payload hashes to %08x",
          command, expected, actual));
    }
  }

  /** The input ended before a field it declares was complete. */
  public static final class Truncated extends WireException {
    public Truncated(String what, long needed, long available) {
      super("truncated " + what + ": needs " + needed + " more bytes, " + available + " left");
    }
  }

  /** A frame declares a payload longer than the protocol allows; nothing was allocated. */
  public static final class FrameTooLarge extends WireException {
    public FrameTooLarge(String command, long declaredBytes, long maxBytes) {
      super("frame '" + command + "' declares " + declaredBytes + " payload bytes, limit is " + maxBytes);
    }
  }

  /** A message holds more entries of some kind than its type allows (e.g. 2,001 headers). */
  public static final class LimitExceeded extends WireException {
    public LimitExceeded(String what, long count, long max) {
      super(what + ": " + count + " entries exceed the limit of " + max);
    }
  }

  /** Bytes that are complete but not a valid encoding (non-canonical varint, trailing bytes...). */
  public static final class Malformed extends WireException {
    public Malformed(String message) {
      super(message);
    }
  }
}
