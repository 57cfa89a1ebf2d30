package io.peerd.testing;

import io.peerd.chain.BlockBuilder;
import io.peerd.chain.MerkleTree;
import io.peerd.wire.Block;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.ByteSlice;
import io.peerd.wire.Hash;
import io.peerd.wire.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Regtest blocks whose transactions a test chose: merkle root recomputed, header mined again. */
public final class TestBlocks {
  private static final long FINAL_SEQUENCE = 0xffffffffL;

  private TestBlocks() {}

  /** {@code block}'s header over {@code txs}: their merkle root and a nonce that meets its bits again. */
  public static Block withTransactions(Block block, List<Transaction> txs) {
    BlockHeader old = block.header();
    Hash root = MerkleTree.compute(txs.stream().map(Transaction::txid).toList()).root();
    BlockHeader header = BlockBuilder.solve(new BlockHeader(old.version(), old.previousHash(), root, old.time(),
        old.bits(), 0));
    return new Block(header, txs);
  }

  /** {@code block} with {@code extra} after its coinbase (and the rest of its transactions). */
  public static Block withExtraTransactions(Block block, Transaction... extra) {
    List<Transaction> txs = new ArrayList<>(block.transactions());
    txs.addAll(List.of(extra));
    return withTransactions(block, txs);
  }

  /** {@code block} with its coinbase's script replaced by {@code script}. */
  public static Block withCoinbaseScript(Block block, byte[] script) {
    Transaction coinbase = block.transactions().get(0);
    Transaction.Input input = coinbase.inputs().get(0);
    Transaction changed = new Transaction(coinbase.version(),
        List.of(new Transaction.Input(input.previousOutput(), ByteSlice.copyOf(script), input.sequence(), input.witness())),
        coinbase.outputs(), coinbase.lockTime());
    List<Transaction> txs = new ArrayList<>(block.transactions());
    txs.set(0, changed);
    return withTransactions(block, txs);
  }

  /** {@code tx} with {@code items} as its first input's witness. */
  public static Transaction withWitness(Transaction tx, byte[]... items) {
    List<Transaction.Input> inputs = new ArrayList<>(tx.inputs());
    Transaction.Input first = inputs.get(0);
    List<ByteSlice> witness = Arrays.stream(items).map(ByteSlice::copyOf).toList();
    inputs.set(0, new Transaction.Input(first.previousOutput(), first.scriptSig(), first.sequence(), witness));
    return new Transaction(tx.version(), inputs, tx.outputs(), tx.lockTime());
  }

  /** A version-2 transaction spending {@code spent} with empty scripts, paying {@code outputs}. */
  public static Transaction spending(List<Transaction.OutPoint> spent, List<Transaction.Output> outputs) {
    List<Transaction.Input> inputs = new ArrayList<>(spent.size());
    for (Transaction.OutPoint outPoint : spent) {
      inputs.add(new Transaction.Input(outPoint, new byte[0], FINAL_SEQUENCE, List.of()));
    }
    return new Transaction(2, inputs, outputs, 0);
  }

  /** The first output of {@code tx}. */
  public static Transaction.OutPoint firstOutput(Transaction tx) {
    return new Transaction.OutPoint(tx.txid(), 0);
  }
}
