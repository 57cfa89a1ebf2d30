package io.peerd.wire;

import java.nio.charset.StandardCharsets;

/**
 * The 24 bytes before every payload: network magic (big-endian, as the bytes read), a 12-byte
 * NUL-padded ASCII command, the payload length and the first 4 bytes of its double SHA-256.
 * Reading one checks magic, command and length, so a payload buffer is only allocated for a
 * length within {@link #MAX_PAYLOAD_BYTES}.
 */
public record FrameHeader(int magic, String command, int payloadLength, int checksum) {
  public static final int SIZE_BYTES = 24;
  public static final int COMMAND_BYTES = 12;
  /** The protocol's largest message (a maximum-weight block). */
  public static final int MAX_PAYLOAD_BYTES = 4_000_000;

  public static FrameHeader read(byte[] header, int expectedMagic) throws WireException {
    if (header.length < SIZE_BYTES) {
      throw new WireException.Truncated("frame header", SIZE_BYTES, header.length);
    }
    int magic = (header[0] & 0xff) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8 | (header[3] & 0xff);
    if (magic != expectedMagic) {
      throw new WireException.BadMagic(expectedMagic, magic);
    }
    String command = readCommand(header);
    ByteReader reader = new ByteReader(header, 4 + COMMAND_BYTES, 8);
    long length = reader.readU32("frame length");
    if (length > MAX_PAYLOAD_BYTES) {
      throw new WireException.FrameTooLarge(command, length, MAX_PAYLOAD_BYTES);
    }
    return new FrameHeader(magic, command, (int) length, reader.readI32("frame checksum"));
  }

  /** The command of a frame {@link #encode} made (so not checked again): its bytes up to the first NUL. */
  public static String commandOf(byte[] frame) {
    int end = 4;
    while (end < 4 + COMMAND_BYTES && frame[end] != 0) {
      end++;
    }
    return new String(frame, 4, end - 4, StandardCharsets.US_ASCII);
  }

  /** Printable ASCII, then only NULs: anything else is a malformed command. */
  private static String readCommand(byte[] header) throws WireException.Malformed {
    int end = 4;
    while (end < 4 + COMMAND_BYTES && header[end] != 0) {
      int c = header[end] & 0xff;
      if (!isPrintableAscii(c)) {
        throw new WireException.Malformed(String.format("frame command has a non-printable byte %02x", c));
      }
      end++;
    }
    for (int i = end; i < 4 + COMMAND_BYTES; i++) {
      if (header[i] != 0) {
        throw new WireException.Malformed("frame command has bytes after its NUL padding");
      }
    }
    if (end == 4) {
      throw new WireException.Malformed("frame command is empty");
    }
    return new String(header, 4, end - 4, StandardCharsets.US_ASCII);
  }

  private static boolean isPrintableAscii(int c) {
    return c >= 0x20 && c <= 0x7e;
  }

  /** The full frame; a command this class would refuse to read is a caller bug. */
  public static byte[] encode(int magic, String command, byte[] payload) {
    boolean printable = command.chars().allMatch(FrameHeader::isPrintableAscii);
    if (command.isEmpty() || command.length() > COMMAND_BYTES || !printable) {
      throw new IllegalArgumentException("command must be 1..12 printable ASCII characters: " + command);
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_BYTES);
    }
    byte[] commandBytes = command.getBytes(StandardCharsets.US_ASCII);
    ByteWriter writer = new ByteWriter(SIZE_BYTES + payload.length);
    writer.writeU8(magic >>> 24).writeU8(magic >>> 16).writeU8(magic >>> 8).writeU8(magic);
    writer.writeBytes(commandBytes).writeBytes(new byte[COMMAND_BYTES - commandBytes.length]);
    writer.writeU32(payload.length).writeI32(checksum(payload)).writeBytes(payload);
    return writer.toByteArray();
  }

  /** The first 4 bytes of the payload's double SHA-256, read as a little-endian int. */
  public static int checksum(byte[] payload) {
    byte[] hash = Sha256.doubleHash(payload);
    return (hash[0] & 0xff) | (hash[1] & 0xff) << 8 | (hash[2] & 0xff) << 16 | (hash[3] & 0xff) << 24;
  }

  /** Fails unless {@code payload} has this header's length and checksum. */
  public void verify(byte[] payload) throws WireException {
    if (payload.length != payloadLength) {
      throw new WireException.Truncated("'" + command + "' payload", payloadLength, payload.length);
    }
    int actual = checksum(payload);
    if (actual != checksum) {
      throw new WireException.BadChecksum(command, checksum, actual);
    }
  }
}
