package io.peerd.chain;

import io.peerd.wire.Transaction;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bitcoin Core's CheckTransaction: what a transaction must meet on its own, without its block or
 * the UTXO set. Reads only non-witness data, which the txid (so the block's merkle root) commits to.
 */
final class TransactionValidator {
  private static final int MIN_COINBASE_SCRIPT_BYTES = 2;
  private static final int MAX_COINBASE_SCRIPT_BYTES = 100;

  private TransactionValidator() {}

  static void check(Transaction tx) throws VerificationException {
    checkNotEmpty(tx);
    checkLegacySize(tx);
    checkOutputValues(tx);
    checkNoDuplicateInputs(tx);
    if (tx.isCoinbase()) {
      checkCoinbaseScript(tx);
    } else {
      checkNoNullPrevout(tx);
    }
  }

  /** Core's GetLegacySigOpCount: the legacy count over every scriptSig and scriptPubKey. */
  static int legacySigOpCount(Transaction tx) {
    int sigOps = 0;
    for (Transaction.Input input : tx.inputs()) {
      sigOps += Script.legacySigOpCount(input.scriptSig());
    }
    for (Transaction.Output output : tx.outputs()) {
      sigOps += Script.legacySigOpCount(output.scriptPubKey());
    }
    return sigOps;
  }

  private static void checkNotEmpty(Transaction tx) throws VerificationException {
    if (tx.inputs().isEmpty()) {
      throw failure(tx, "bad-txns-vin-empty", "no inputs");
    }
    if (tx.outputs().isEmpty()) {
      throw failure(tx, "bad-txns-vout-empty", "no outputs");
    }
  }

  /** Without witness data, which is not yet checked against the witness commitment here. */
  private static void checkLegacySize(Transaction tx) throws VerificationException {
    int baseSizeBytes = tx.serializedSize(false);
    if ((long) baseSizeBytes * BlockValidator.WITNESS_SCALE_FACTOR > BlockValidator.MAX_BLOCK_WEIGHT) {
      throw failure(tx, "bad-txns-oversize", "base size " + baseSizeBytes + " bytes");
    }
  }

  /** CVE-2010-5139: outputs whose sum overflowed created money. */
  private static void checkOutputValues(Transaction tx) throws VerificationException {
    long totalSatoshis = 0;
    for (Transaction.Output output : tx.outputs()) {
      long valueSatoshis = output.value();
      if (valueSatoshis < 0) {
        throw failure(tx, "bad-txns-vout-negative", "output of " + valueSatoshis + " satoshis");
      }
      if (valueSatoshis > Transaction.MAX_MONEY_SATOSHIS) {
        throw failure(tx, "bad-txns-vout-toolarge", "output of " + valueSatoshis + " satoshis");
      }
      totalSatoshis += valueSatoshis; // both terms are at most MAX_MONEY: no overflow
      if (totalSatoshis > Transaction.MAX_MONEY_SATOSHIS) {
        throw failure(tx, "bad-txns-txouttotal-toolarge", "outputs pay over " + Transaction.MAX_MONEY_SATOSHIS + " satoshis");
      }
    }
  }

  /**
   * CVE-2018-17144: one outpoint spent twice in one transaction. No other check here catches it,
   * and a node with a UTXO set would mint the coin twice. A single input needs no set.
   */
  private static void checkNoDuplicateInputs(Transaction tx) throws VerificationException {
    List<Transaction.Input> inputs = tx.inputs();
    if (inputs.size() < 2) {
      return;
    }
    Set<Transaction.OutPoint> spent = HashSet.newHashSet(inputs.size());
    for (Transaction.Input input : inputs) {
      if (!spent.add(input.previousOutput())) {
        throw failure(tx, "bad-txns-inputs-duplicate", "spends " + input.previousOutput() + " twice");
      }
    }
  }

  private static void checkCoinbaseScript(Transaction tx) throws VerificationException {
    int scriptBytes = tx.inputs().get(0).scriptSig().length();
    if (scriptBytes < MIN_COINBASE_SCRIPT_BYTES || scriptBytes > MAX_COINBASE_SCRIPT_BYTES) {
      throw failure(tx, "bad-cb-length", "coinbase script is " + scriptBytes + " bytes");
    }
  }

  /** Only a coinbase may spend the null outpoint: elsewhere it would spend nothing. */
  private static void checkNoNullPrevout(Transaction tx) throws VerificationException {
    for (Transaction.Input input : tx.inputs()) {
      if (input.previousOutput().isNull()) {
        throw failure(tx, "bad-txns-prevout-null", "a non-coinbase input spends the null outpoint");
      }
    }
  }

  private static VerificationException failure(Transaction tx, String reason, String detail) {
    return new VerificationException(reason, "transaction " + tx.txid() + ": " + detail);
  }
}
