package io.peerd.wire;

/**
 * An 80-byte block header. Its hash is computed once, from the serialized bytes, and cached.
 * {@code time}, {@code bits} and {@code nonce} are unsigned 32-bit values held in longs/ints.
 */
public final class BlockHeader {
  public static final int SIZE_BYTES = 80;

  private final int version;
  private final Hash previousHash;
  private final Hash merkleRoot;
  private final long time;
  private final int bits;
  private final long nonce;
  private final Hash hash;

  public BlockHeader(int version, Hash previousHash, Hash merkleRoot, long time, int bits, long nonce) {
    this(version, previousHash, merkleRoot, time, bits, nonce, null);
  }

  private BlockHeader(int version, Hash previousHash, Hash merkleRoot, long time, int bits, long nonce, Hash hash) {
    this.version = version;
    this.previousHash = previousHash;
    this.merkleRoot = merkleRoot;
    this.time = time & 0xffffffffL;
    this.bits = bits;
    this.nonce = nonce & 0xffffffffL;
    this.hash = hash != null ? hash : Hash.of(serialize());
  }

  public static BlockHeader read(ByteReader reader) throws WireException {
    int start = reader.position();
    int version = reader.readI32("header version");
    Hash previous = reader.readHash("header previous hash");
    Hash merkle = reader.readHash("header merkle root");
    long time = reader.readU32("header time");
    int bits = reader.readI32("header bits");
    long nonce = reader.readU32("header nonce");
    Hash hash = Hash.of(reader.array(), start, SIZE_BYTES);
    return new BlockHeader(version, previous, merkle, time, bits, nonce, hash);
  }

  public static BlockHeader fromBytes(byte[] bytes) throws WireException {
    ByteReader reader = new ByteReader(bytes);
    BlockHeader header = read(reader);
    reader.expectEnd("block header");
    return header;
  }

  public void write(ByteWriter writer) {
    writer.writeI32(version).writeHash(previousHash).writeHash(merkleRoot)
        .writeU32(time).writeI32(bits).writeU32(nonce);
  }

  public byte[] serialize() {
    ByteWriter writer = new ByteWriter(SIZE_BYTES);
    write(writer);
    return writer.toByteArray();
  }

  /**
   * This header holding {@code previous}, which must equal its previous hash, instead of its own
   * copy: a header tree then keeps one {@link Hash} per header, not two.
   */
  public BlockHeader sharingPreviousHash(Hash previous) {
    if (!previous.equals(previousHash)) {
      throw new IllegalArgumentException("not this header's previous hash: " + previous);
    }
    return previous == previousHash ? this
        : new BlockHeader(version, previous, merkleRoot, time, bits, nonce, hash);
  }

  /** A copy with another nonce, for mining. */
  public BlockHeader withNonce(long newNonce) {
    return new BlockHeader(version, previousHash, merkleRoot, time, bits, newNonce);
  }

  public Hash hash() {
    return hash;
  }

  public int version() {
    return version;
  }

  public Hash previousHash() {
    return previousHash;
  }

  public Hash merkleRoot() {
    return merkleRoot;
  }

  /** Seconds since the Unix epoch, as the miner claimed. */
  public long time() {
    return time;
  }

  /** The compact ("nBits") encoding of the proof-of-work target. */
  public int bits() {
    return bits;
  }

  public long nonce() {
    return nonce;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BlockHeader that && hash.equals(that.hash);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "BlockHeader{" + hash + ", prev=" + previousHash + ", time=" + time
        + ", bits=" + Integer.toHexString(bits) + "}";
  }
}
