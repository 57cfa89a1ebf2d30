package io.peerd.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The one entry point from bytes to messages and back: frames ({@link FrameHeader}) around
 * payloads, and command -> payload decoder. Fails only with {@link WireException} (and
 * {@link IOException} when reading a stream).
 */
public final class MessageCodec {
  /** A checked frame: its command and payload, not yet decoded. */
  public record RawMessage(String command, byte[] payload) {}

  private MessageCodec() {}

  public static byte[] encode(int magic, Message message) {
    return FrameHeader.encode(magic, message.command(), message.payload());
  }

  /** Decodes exactly one frame from {@code frame}; trailing bytes are malformed. */
  public static Message decode(byte[] frame, int magic) throws WireException {
    FrameHeader header = FrameHeader.read(frame, magic);
    int available = frame.length - FrameHeader.SIZE_BYTES;
    if (available < header.payloadLength()) {
      throw new WireException.Truncated("'" + header.command() + "' frame", header.payloadLength(), available);
    }
    if (available > header.payloadLength()) {
      throw new WireException.Malformed("frame has " + (available - header.payloadLength()) + " trailing bytes");
    }
    byte[] payload = Arrays.copyOfRange(frame, FrameHeader.SIZE_BYTES, frame.length);
    header.verify(payload);
    return decodePayload(header.command(), payload);
  }

  /**
   * Reads one frame from a stream: the header first, then exactly the payload it declares
   * (only after checking the length cap). End of stream inside a frame is {@link WireException.Truncated};
   * end of stream before it starts is {@link EOFException}.
   */
  public static RawMessage read(InputStream in, int magic) throws IOException, WireException {
    byte[] headerBytes = in.readNBytes(FrameHeader.SIZE_BYTES);
    if (headerBytes.length == 0) {
      throw new EOFException("connection closed");
    }
    FrameHeader header = FrameHeader.read(headerBytes, magic);
    byte[] payload = in.readNBytes(header.payloadLength());
    header.verify(payload);
    return new RawMessage(header.command(), payload);
  }

  /** Decodes a payload by command; unknown commands become {@link Message.Unknown}. */
  public static Message decodePayload(String command, byte[] payload) throws WireException {
    ByteReader reader = new ByteReader(payload);
    Message message = switch (command) {
      case "version" -> Message.Version.read(reader);
      case "verack" -> new Message.Verack();
      case "getaddr" -> new Message.GetAddr();
      case "sendaddrv2" -> new Message.SendAddrV2();
      case "sendheaders" -> new Message.SendHeaders();
      case "wtxidrelay" -> new Message.WtxidRelay();
      case "ping" -> new Message.Ping(reader.readI64("ping nonce"));
      case "pong" -> new Message.Pong(reader.readI64("pong nonce"));
      case "addr" -> Message.Addr.read(reader);
      case "addrv2" -> Message.AddrV2.read(reader);
      case "inv" -> new Message.Inv(Message.InventoryMessage.readItems(command, reader));
      case "getdata" -> new Message.GetData(Message.InventoryMessage.readItems(command, reader));
      case "notfound" -> new Message.NotFound(Message.InventoryMessage.readItems(command, reader));
      case "getheaders" -> Message.LocatorMessage.read(command, reader, Message.GetHeaders::new);
      case "getblocks" -> Message.LocatorMessage.read(command, reader, Message.GetBlocks::new);
      case "headers" -> Message.Headers.read(reader);
      case "block" -> new Message.BlockMessage(Block.read(reader));
      case "tx" -> new Message.Tx(Transaction.read(reader));
      case "feefilter" -> new Message.FeeFilter(reader.readI64("feefilter rate"));
      case "sendcmpct" -> new Message.SendCmpct(reader.readBoolean("sendcmpct announce"), reader.readI64("sendcmpct version"));
      default -> new Message.Unknown(command, reader.readBytes(payload.length, "unknown payload"));
    };
    reader.expectEnd("'" + command + "' message");
    return message;
  }
}
