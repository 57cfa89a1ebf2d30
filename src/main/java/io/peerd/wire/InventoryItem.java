package io.peerd.wire;

/** One typed hash in inv/getdata/notfound. 36 bytes on the wire. */
public record InventoryItem(long type, Hash hash) {
  public static final int SIZE_BYTES = 36;
  public static final long ERROR = 0;
  public static final long TX = 1;
  public static final long BLOCK = 2;
  public static final long FILTERED_BLOCK = 3;
  public static final long COMPACT_BLOCK = 4;
  public static final long WTX = 5;
  /** Flag asking for the witness serialization (BIP144). */
  public static final long WITNESS_FLAG = 1L << 30;
  public static final long WITNESS_BLOCK = BLOCK | WITNESS_FLAG;
  public static final long WITNESS_TX = TX | WITNESS_FLAG;

  public static InventoryItem block(Hash hash) {
    return new InventoryItem(BLOCK, hash);
  }

  public static InventoryItem witnessBlock(Hash hash) {
    return new InventoryItem(WITNESS_BLOCK, hash);
  }

  /** The type without the witness flag. */
  public long baseType() {
    return type & ~WITNESS_FLAG;
  }
}
