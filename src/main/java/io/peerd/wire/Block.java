package io.peerd.wire;

import java.util.List;

/** A block: its header and transactions. Serializes with or without witness data. */
public final class Block {
  /** The protocol's largest message is 4,000,000 bytes, so no block can be larger on the wire. */
  public static final int MAX_SERIALIZED_BYTES = 4_000_000;

  private final BlockHeader header;
  private final List<Transaction> transactions;

  public Block(BlockHeader header, List<Transaction> transactions) {
    this.header = header;
    this.transactions = List.copyOf(transactions);
  }

  public static Block read(ByteReader reader) throws WireException {
    BlockHeader header = BlockHeader.read(reader);
    int count = reader.readCount("block transactions", Integer.MAX_VALUE, Transaction.MIN_SIZE_BYTES);
    Transaction[] transactions = new Transaction[count];
    for (int i = 0; i < count; i++) {
      transactions[i] = Transaction.read(reader);
    }
    return new Block(header, List.of(transactions));
  }

  /**
   * Decodes exactly one block from {@code bytes}; trailing bytes are an error. The transactions'
   * scripts are views of {@code bytes}, so the caller must not modify it afterwards.
   */
  public static Block fromBytes(byte[] bytes) throws WireException {
    ByteReader reader = new ByteReader(bytes);
    Block block = read(reader);
    reader.expectEnd("block");
    return block;
  }

  public void write(ByteWriter writer, boolean withWitness) {
    header.write(writer);
    writer.writeVarInt(transactions.size());
    for (Transaction tx : transactions) {
      tx.write(writer, withWitness);
    }
  }

  public byte[] serialize(boolean withWitness) {
    ByteWriter writer = new ByteWriter(serializedSize(withWitness));
    write(writer, withWitness);
    return writer.toByteArray();
  }

  public int serializedSize(boolean withWitness) {
    int size = BlockHeader.SIZE_BYTES + ByteWriter.varIntSize(transactions.size());
    for (Transaction tx : transactions) {
      size += tx.serializedSize(withWitness);
    }
    return size;
  }

  /** BIP141 weight: legacy size x 3 + full size. */
  public int weight() {
    return serializedSize(false) * 3 + serializedSize(true);
  }

  public boolean hasWitness() {
    for (Transaction tx : transactions) {
      if (tx.hasWitness()) {
        return true;
      }
    }
    return false;
  }

  public BlockHeader header() {
    return header;
  }

  public Hash hash() {
    return header.hash();
  }

  public List<Transaction> transactions() {
    return transactions;
  }

  @Override
  public String toString() {
    return "Block{" + header.hash() + ", txs=" + transactions.size() + "}";
  }
}
