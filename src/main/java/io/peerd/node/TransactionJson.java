package io.peerd.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerd.chain.NetworkParameters;
import io.peerd.chain.OutputScript;
import io.peerd.chain.ScriptAsm;
import io.peerd.wire.Transaction;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.List;

/**
 * A transaction as Core's TxToUniv shows it in getblock verbosity 2, from the transaction alone:
 * no {@code fee} and no input {@code prevout}, which need the spent outputs (the UTXO set).
 */
final class TransactionJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private static final int SATOSHI_DECIMALS = 8;

  private TransactionJson() {}

  static ObjectNode of(Transaction tx, NetworkParameters params) {
    ObjectNode result = JSON.objectNode();
    result.put("txid", tx.txid().toString());
    result.put("hash", tx.wtxid().toString());
    result.put("version", tx.version());
    result.put("size", tx.serializedSize(true));
    result.put("vsize", (tx.weight() + 3) / 4);
    result.put("weight", tx.weight());
    result.put("locktime", tx.lockTime());
    ArrayNode inputs = result.putArray("vin");
    tx.inputs().forEach(input -> inputs.add(input(input, tx.isCoinbase())));
    ArrayNode outputs = result.putArray("vout");
    List<Transaction.Output> outs = tx.outputs();
    for (int n = 0; n < outs.size(); n++) {
      outputs.add(output(outs.get(n), n, params));
    }
    result.put("hex", HEX.formatHex(tx.serialize(true)));
    return result;
  }

  private static ObjectNode input(Transaction.Input input, boolean coinbase) {
    ObjectNode result = JSON.objectNode();
    if (coinbase) {
      result.put("coinbase", input.scriptSig().toHex());
    } else {
      result.put("txid", input.previousOutput().txid().toString());
      result.put("vout", input.previousOutput().index());
      result.putObject("scriptSig")
          .put("asm", ScriptAsm.of(input.scriptSig().toByteArray(), true))
          .put("hex", input.scriptSig().toHex());
    }
    if (!input.witness().isEmpty()) {
      ArrayNode witness = result.putArray("txinwitness");
      input.witness().forEach(item -> witness.add(item.toHex()));
    }
    result.put("sequence", input.sequence());
    return result;
  }

  private static ObjectNode output(Transaction.Output output, int n, NetworkParameters params) {
    ObjectNode result = JSON.objectNode();
    result.put("value", BigDecimal.valueOf(output.value(), SATOSHI_DECIMALS));
    result.put("n", n);
    byte[] scriptBytes = output.scriptPubKey().toByteArray();
    OutputScript script = OutputScript.of(scriptBytes, params);
    ObjectNode scriptPubKey = result.putObject("scriptPubKey");
    scriptPubKey.put("asm", ScriptAsm.of(scriptBytes, false));
    scriptPubKey.put("desc", script.descriptor());
    scriptPubKey.put("hex", output.scriptPubKey().toHex());
    script.address().ifPresent(address -> scriptPubKey.put("address", address));
    scriptPubKey.put("type", script.type());
    return result;
  }
}
