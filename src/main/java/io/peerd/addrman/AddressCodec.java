package io.peerd.addrman;

import io.peerd.wire.ByteReader;
import io.peerd.wire.ByteWriter;
import io.peerd.wire.Sha256;
import io.peerd.wire.WireException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The address file's bytes. Little-endian, as the wire:
 *
 * <pre>
 *   magic "padr" | format u8 | payload length u32 | payload | SHA-256 of all before it (32)
 *   payload: key (32) | entry count u32 | entries
 *   entry:   network u8 | address | port u16 big-endian | source network u8 | source address
 *            | services u64 | time i64 | last success i64 | failed attempts i32
 *            | placement u8: 0 in tried, else n new buckets followed by n bucket numbers u16
 * </pre>
 *
 * The key and each entry's new buckets restore the tables exactly; a tried entry's slot follows
 * from the key. What Core keeps in memory only (last try, the collisions) is not saved. The length
 * tells a truncated file from a corrupt one; the checksum catches the rest. Entries are bounded by
 * the table slots, so the file is at most {@link #MAX_FILE_BYTES}.
 */
final class AddressCodec {
  static final int FORMAT = 1;
  private static final byte[] MAGIC = "padr".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER_BYTES = MAGIC.length + 1 + 4;
  private static final int CHECKSUM_BYTES = 32;
  private static final int MAX_HOST_BYTES = 32;
  private static final int MAX_ENTRY_BYTES = (1 + MAX_HOST_BYTES) * 2 + 2 + 8 * 3 + 4 + 1
      + 2 * AddressTables.MAX_NEW_REFERENCES;
  private static final int MAX_PAYLOAD_BYTES = AddressManager.KEY_BYTES + 4 + AddressTables.MAX_ENTRIES * MAX_ENTRY_BYTES;
  static final int MAX_FILE_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES + CHECKSUM_BYTES;

  private AddressCodec() {}

  static byte[] encode(AddressManager manager) {
    AddressTables tables = manager.tables();
    ByteWriter payload = new ByteWriter();
    payload.writeBytes(tables.hasher.key()).writeU32(tables.size());
    for (Entry entry : tables.entries()) {
      writeEntry(payload, entry);
    }
    assert payload.size() <= MAX_PAYLOAD_BYTES : payload.size() + " payload bytes";
    ByteWriter file = new ByteWriter(HEADER_BYTES + payload.size() + CHECKSUM_BYTES);
    file.writeBytes(MAGIC).writeU8(FORMAT).writeU32(payload.size()).writeBytes(payload.toByteArray());
    byte[] body = file.toByteArray();
    return file.writeBytes(Sha256.hash(body, 0, body.length)).toByteArray();
  }

  /**
   * The manager a file holds. Entries the policy refuses now are left out (they were saved under
   * another policy); anything else amiss fails the whole file.
   */
  static AddressManager decode(byte[] file, RoutingPolicy policy, Random random, LongSupplier clockSeconds)
      throws AddressFileException {
    checkFrame(file);
    ByteReader reader = new ByteReader(file, HEADER_BYTES, file.length - HEADER_BYTES - CHECKSUM_BYTES);
    try {
      AddressTables tables = new AddressTables(new BucketHasher(reader.readBytes(AddressManager.KEY_BYTES, "key")));
      long count = reader.readU32("entry count");
      if (count > AddressTables.MAX_ENTRIES) {
        throw new AddressFileException("corrupt address file: " + count + " entries, more than the tables hold");
      }
      for (long i = 0; i < count; i++) {
        readEntry(reader, tables, policy);
      }
      reader.expectEnd("address file payload");
      return new AddressManager(tables, policy, random, clockSeconds);
    } catch (WireException e) {
      throw new AddressFileException("corrupt address file: " + e.getMessage());
    }
  }

  /** Checks the magic, format, length and checksum before a byte of the payload is trusted. */
  private static void checkFrame(byte[] file) throws AddressFileException {
    if (file.length < HEADER_BYTES + CHECKSUM_BYTES) {
      throw new AddressFileException("truncated address file: " + file.length + " bytes");
    }
    if (!Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new AddressFileException("not an address file: it does not start with \"padr\"");
    }
    int format = file[MAGIC.length] & 0xff;
    if (format != FORMAT) {
      throw new AddressFileException("address file format " + format + " is not the format " + FORMAT + " this peerd reads");
    }
    long payloadBytes = Integer.toUnsignedLong(ByteBuffer.wrap(file, MAGIC.length + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    long expectedBytes = HEADER_BYTES + payloadBytes + CHECKSUM_BYTES;
    if (file.length < expectedBytes) {
      throw new AddressFileException("truncated address file: " + file.length + " bytes of " + expectedBytes);
    }
    if (file.length > expectedBytes) {
      throw new AddressFileException("corrupt address file: " + (file.length - expectedBytes) + " bytes past its end");
    }
    byte[] checksum = Sha256.hash(file, 0, file.length - CHECKSUM_BYTES);
    if (!Arrays.equals(checksum, 0, CHECKSUM_BYTES, file, file.length - CHECKSUM_BYTES, file.length)) {
      throw new AddressFileException("corrupt address file: its checksum does not match");
    }
  }

  private static void writeEntry(ByteWriter out, Entry entry) {
    writeHost(out, entry.address.host());
    out.writeU16BigEndian(entry.address.port());
    writeHost(out, entry.source);
    out.writeI64(entry.services).writeI64(entry.timeSeconds).writeI64(entry.lastSuccessSeconds).writeI32(entry.attempts);
    out.writeU8(entry.inTried ? 0 : entry.newReferenceCount);
    for (int i = 0; i < entry.newReferenceCount; i++) {
      out.writeU16(entry.newBuckets[i]);
    }
  }

  private static void writeHost(ByteWriter out, Host host) {
    out.writeU8(host.network().bip155Id()).writeBytes(host.bytes());
  }

  private static void readEntry(ByteReader in, AddressTables tables, RoutingPolicy policy)
      throws WireException, AddressFileException {
    PeerAddress address = new PeerAddress(readHost(in), in.readU16BigEndian("port"));
    Host source = readHost(in);
    long services = in.readI64("services");
    long timeSeconds = in.readI64("time");
    long lastSuccessSeconds = in.readI64("last success");
    int attempts = in.readI32("attempts");
    int[] newBuckets = readPlacement(in);
    if (attempts < 0 || tables.find(address) != null) {
      throw new AddressFileException("corrupt address file: " + address + " is saved twice or with "
          + attempts + " attempts");
    }
    if (!policy.accepts(address)) {
      return;
    }
    Entry entry = tables.create(address, source, services, timeSeconds);
    entry.lastSuccessSeconds = lastSuccessSeconds;
    entry.attempts = attempts;
    place(tables, entry, newBuckets);
  }

  /** The new buckets of an entry, or none for a tried entry. */
  private static int[] readPlacement(ByteReader in) throws WireException, AddressFileException {
    int count = in.readU8("placement");
    if (count > AddressTables.MAX_NEW_REFERENCES) {
      throw new AddressFileException("corrupt address file: an entry in " + count + " new buckets");
    }
    int[] buckets = new int[count];
    for (int i = 0; i < count; i++) {
      buckets[i] = in.readU16("new bucket");
      if (buckets[i] >= AddressTables.NEW_BUCKET_COUNT) {
        throw new AddressFileException("corrupt address file: new bucket " + buckets[i]);
      }
    }
    return buckets;
  }

  private static void place(AddressTables tables, Entry entry, int[] newBuckets) throws AddressFileException {
    if (newBuckets.length == 0) {
      if (tables.triedOccupant(entry.address) != null) {
        throw new AddressFileException("corrupt address file: two entries in the tried slot of " + entry.address);
      }
      tables.placeTried(entry);
      return;
    }
    for (int bucket : newBuckets) {
      if (tables.newOccupant(bucket, entry.address) != null) {
        throw new AddressFileException("corrupt address file: two entries in new bucket " + bucket
            + " at the slot of " + entry.address);
      }
      tables.placeNew(entry, bucket);
    }
  }

  private static Host readHost(ByteReader in) throws WireException, AddressFileException {
    int networkId = in.readU8("network");
    Network network = Network.ofBip155(networkId)
        .orElseThrow(() -> new AddressFileException("corrupt address file: network " + networkId));
    byte[] bytes = in.readBytes(network.addressBytes(), "address");
    return Host.fromWire(networkId, bytes)
        .filter(host -> host.network() == network)
        .orElseThrow(() -> new AddressFileException("corrupt address file: a " + network + " host peerd does not keep"));
  }
}
