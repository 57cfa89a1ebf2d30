package io.peerd.wire;

import java.security.MessageDigest;
import java.util.List;

/**
 * A transaction, parsed for structure only: scripts are opaque bytes (script validation is out
 * of scope). Serializes with or without witness data. A decoded transaction hashes its received
 * bytes for its ids (txid at decoding, wtxid on first use); a built one serializes itself.
 */
public final class Transaction {
  /** A transaction needs at least 10 bytes (version, two counts, lock time); used to bound counts. */
  public static final int MIN_SIZE_BYTES = 10;
  /** 21 million bitcoin: no output, nor all of a transaction's outputs together, may pay more. */
  public static final long MAX_MONEY_SATOSHIS = 21_000_000L * 100_000_000L;
  private static final int MAX_SCRIPT_BYTES = 4_000_000;
  private static final int VERSION_BYTES = 4;
  private static final int LOCK_TIME_BYTES = 4;
  /** Segwit's serialization puts 0x00 0x01 after the version; the legacy one has neither. */
  private static final int WITNESS_MARKER_AND_FLAG_BYTES = 2;

  public record OutPoint(Hash txid, long index) {
    public static final OutPoint NULL = new OutPoint(Hash.ZERO, 0xffffffffL);

    public boolean isNull() {
      return index == 0xffffffffL && txid.isZero();
    }
  }

  /** {@code witness} holds this input's witness stack items; empty when it has none. */
  public record Input(OutPoint previousOutput, ByteSlice scriptSig, long sequence, List<ByteSlice> witness) {
    public Input {
      witness = List.copyOf(witness);
    }

    /** An input built by hand: the script and witness items are copied. */
    public Input(OutPoint previousOutput, byte[] scriptSig, long sequence, List<byte[]> witness) {
      this(previousOutput, ByteSlice.copyOf(scriptSig), sequence, witness.stream().map(ByteSlice::copyOf).toList());
    }
  }

  /** {@code value} is in satoshis. */
  public record Output(long value, ByteSlice scriptPubKey) {
    /** An output built by hand: the script is copied. */
    public Output(long value, byte[] scriptPubKey) {
      this(value, ByteSlice.copyOf(scriptPubKey));
    }
  }

  private final int version;
  private final List<Input> inputs;
  private final List<Output> outputs;
  private final long lockTime;
  private final boolean hasWitness;
  private final int baseSizeBytes;
  private final int totalSizeBytes;
  /** The bytes this transaction was decoded from; null when built by the constructor. */
  private final Received received;
  private volatile Hash txid;
  private volatile Hash wtxid;

  /**
   * A decoded transaction's place in the array it came from, so its ids hash the received bytes
   * instead of a re-serialization (its scripts are views of the same array). For a block this is
   * the whole block's array: every transaction keeps it alive, which is fine because blocks are
   * short-lived (validated, stored, dropped); whoever keeps one transaction long should re-decode it.
   */
  private record Received(byte[] bytes, int start, int end) {}

  public Transaction(int version, List<Input> inputs, List<Output> outputs, long lockTime) {
    this.version = version;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.lockTime = lockTime & 0xffffffffL;
    this.hasWitness = anyWitness(this.inputs);
    this.baseSizeBytes = sizeWithoutWitness(this.inputs, this.outputs);
    this.totalSizeBytes = baseSizeBytes + (hasWitness ? witnessSize(this.inputs) : 0);
    this.received = null;
  }

  private Transaction(int version, List<Input> inputs, List<Output> outputs, long lockTime,
      int baseSizeBytes, Received received, Hash txid) {
    this.version = version;
    this.inputs = inputs;
    this.outputs = outputs;
    this.lockTime = lockTime;
    this.totalSizeBytes = received.end() - received.start();
    // The decoder refuses a witness marker without witness data, so any extra bytes are witness.
    this.hasWitness = baseSizeBytes != totalSizeBytes;
    this.baseSizeBytes = baseSizeBytes;
    this.received = received;
    this.txid = txid;
  }

  /**
   * Reads one transaction in either serialization. A witness marker with no witness data, or an
   * unknown flag, is refused as Bitcoin Core does, so re-encoding is always byte-identical. The
   * scripts are views of the reader's array (see {@link ByteReader#readVarSlice}).
   */
  public static Transaction read(ByteReader reader) throws WireException {
    int start = reader.position();
    int version = reader.readI32("tx version");
    int inputCount = reader.readCount("tx inputs", Integer.MAX_VALUE, 41);
    boolean segwit = inputCount == 0;
    if (segwit) {
      int flag = reader.readU8("tx witness flag");
      if (flag != 1) {
        throw new WireException.Malformed("tx has no inputs or an unknown witness flag " + flag);
      }
      inputCount = reader.readCount("tx inputs", Integer.MAX_VALUE, 41);
    }
    Input[] inputs = readInputs(reader, inputCount);
    Output[] outputs = readOutputs(reader);
    int outputsEnd = reader.position();
    if (segwit) {
      readWitnesses(reader, inputs);
    }
    int lockTimeStart = reader.position();
    long lockTime = reader.readU32("tx lock time");
    Received received = new Received(reader.array(), start, reader.position());
    if (!segwit) {
      return new Transaction(version, List.of(inputs), List.of(outputs), lockTime, received.end() - start,
          received, Hash.of(received.bytes(), start, received.end() - start));
    }
    int witnessBytes = WITNESS_MARKER_AND_FLAG_BYTES + lockTimeStart - outputsEnd;
    return new Transaction(version, List.of(inputs), List.of(outputs), lockTime,
        received.end() - start - witnessBytes, received, legacyTxid(received, outputsEnd, lockTimeStart));
  }

  private static Input[] readInputs(ByteReader reader, int count) throws WireException {
    Input[] inputs = new Input[count];
    for (int i = 0; i < count; i++) {
      Hash prevTxid = reader.readHash("input outpoint");
      long prevIndex = reader.readU32("input outpoint index");
      ByteSlice script = reader.readVarSlice("input script", MAX_SCRIPT_BYTES);
      long sequence = reader.readU32("input sequence");
      inputs[i] = new Input(new OutPoint(prevTxid, prevIndex), script, sequence, List.of());
    }
    return inputs;
  }

  private static Output[] readOutputs(ByteReader reader) throws WireException {
    Output[] outputs = new Output[reader.readCount("tx outputs", Integer.MAX_VALUE, 9)];
    for (int i = 0; i < outputs.length; i++) {
      long value = reader.readI64("output value");
      outputs[i] = new Output(value, reader.readVarSlice("output script", MAX_SCRIPT_BYTES));
    }
    return outputs;
  }

  /** Fills in each input's witness stack; at least one must be non-empty, or the marker was a lie. */
  private static void readWitnesses(ByteReader reader, Input[] inputs) throws WireException {
    boolean anyWitness = false;
    for (int i = 0; i < inputs.length; i++) {
      int items = reader.readCount("witness items", Integer.MAX_VALUE, 1);
      ByteSlice[] stack = new ByteSlice[items];
      for (int j = 0; j < items; j++) {
        stack[j] = reader.readVarSlice("witness item", MAX_SCRIPT_BYTES);
      }
      anyWitness |= items > 0;
      Input in = inputs[i];
      inputs[i] = new Input(in.previousOutput(), in.scriptSig(), in.sequence(), List.of(stack));
    }
    if (!anyWitness) {
      throw new WireException.Malformed("tx has a witness marker but no witness data");
    }
  }

  /**
   * The txid of a received segwit transaction: the legacy serialization is its version, inputs,
   * outputs and lock time, so hashing those three ranges skips the marker, flag and witnesses.
   */
  private static Hash legacyTxid(Received received, int outputsEnd, int lockTimeStart) {
    int inputsStart = received.start() + VERSION_BYTES + WITNESS_MARKER_AND_FLAG_BYTES;
    MessageDigest digest = Sha256.digest();
    digest.update(received.bytes(), received.start(), VERSION_BYTES);
    digest.update(received.bytes(), inputsStart, outputsEnd - inputsStart);
    digest.update(received.bytes(), lockTimeStart, LOCK_TIME_BYTES);
    return Hash.own(Sha256.finishDouble(digest));
  }

  public boolean hasWitness() {
    return hasWitness;
  }

  private static boolean anyWitness(List<Input> inputs) {
    for (Input input : inputs) {
      if (!input.witness().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Writes the transaction; with {@code withWitness} false, or no witness data, the legacy form. */
  public void write(ByteWriter writer, boolean withWitness) {
    boolean segwit = withWitness && hasWitness();
    writer.writeI32(version);
    if (segwit) {
      writer.writeU8(0).writeU8(1);
    }
    writer.writeVarInt(inputs.size());
    for (Input input : inputs) {
      writer.writeHash(input.previousOutput().txid()).writeU32(input.previousOutput().index());
      writer.writeVarBytes(input.scriptSig()).writeU32(input.sequence());
    }
    writer.writeVarInt(outputs.size());
    for (Output output : outputs) {
      writer.writeI64(output.value()).writeVarBytes(output.scriptPubKey());
    }
    if (segwit) {
      for (Input input : inputs) {
        writer.writeVarInt(input.witness().size());
        for (ByteSlice item : input.witness()) {
          writer.writeVarBytes(item);
        }
      }
    }
    writer.writeU32(lockTime);
  }

  public byte[] serialize(boolean withWitness) {
    ByteWriter writer = new ByteWriter(serializedSize(withWitness));
    write(writer, withWitness);
    return writer.toByteArray();
  }

  /** Size in bytes of the serialization, known without serializing. */
  public int serializedSize(boolean withWitness) {
    return withWitness ? totalSizeBytes : baseSizeBytes;
  }

  private static int sizeWithoutWitness(List<Input> inputs, List<Output> outputs) {
    int size = VERSION_BYTES + ByteWriter.varIntSize(inputs.size()) + ByteWriter.varIntSize(outputs.size())
        + LOCK_TIME_BYTES;
    for (Input input : inputs) {
      size += 36 + ByteWriter.varIntSize(input.scriptSig().length()) + input.scriptSig().length() + 4;
    }
    for (Output output : outputs) {
      size += 8 + ByteWriter.varIntSize(output.scriptPubKey().length()) + output.scriptPubKey().length();
    }
    return size;
  }

  /** The marker, the flag and every input's witness stack. */
  private static int witnessSize(List<Input> inputs) {
    int size = WITNESS_MARKER_AND_FLAG_BYTES;
    for (Input input : inputs) {
      size += ByteWriter.varIntSize(input.witness().size());
      for (ByteSlice item : input.witness()) {
        size += ByteWriter.varIntSize(item.length()) + item.length();
      }
    }
    return size;
  }

  /** BIP141 weight: legacy size x 3 + full size. */
  public int weight() {
    return serializedSize(false) * 3 + serializedSize(true);
  }

  /**
   * The id of the legacy serialization (what outpoints and the merkle root use). A decoded
   * transaction has it from decoding; a built one serializes itself once to get it.
   */
  public Hash txid() {
    Hash id = txid;
    if (id == null) {
      id = txid = Hash.of(serialize(false));
    }
    return id;
  }

  /** The id including witness data (what the witness commitment uses); equals txid without witness. */
  public Hash wtxid() {
    Hash id = wtxid;
    if (id == null) {
      id = wtxid = !hasWitness ? txid() : received != null
          ? Hash.of(received.bytes(), received.start(), totalSizeBytes) : Hash.of(serialize(true));
    }
    return id;
  }

  /** A coinbase has exactly one input, spending the null outpoint. */
  public boolean isCoinbase() {
    return inputs.size() == 1 && inputs.get(0).previousOutput().isNull();
  }

  public int version() {
    return version;
  }

  public List<Input> inputs() {
    return inputs;
  }

  public List<Output> outputs() {
    return outputs;
  }

  public long lockTime() {
    return lockTime;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Transaction that && wtxid().equals(that.wtxid());
  }

  @Override
  public int hashCode() {
    return wtxid().hashCode();
  }

  @Override
  public String toString() {
    return "Transaction{" + txid() + ", in=" + inputs.size() + ", out=" + outputs.size() + "}";
  }

}
