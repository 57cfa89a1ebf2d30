package io.peerd.addrman;

/**
 * An address file that cannot be loaded: truncated, corrupt, not an address file, or of a format
 * this version does not read. The caller logs it and starts with an empty address manager; the
 * addresses are relearned from peers.
 */
public final class AddressFileException extends Exception {
  public AddressFileException(String message) {
    super(message);
  }
}
