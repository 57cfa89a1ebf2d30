package io.peerd.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.peerd.chain.HeaderNode;
import io.peerd.rpc.RpcMethod;
import java.util.Comparator;
import java.util.Map;

/**
 * getchaintips, as Core: every leaf of the header tree and the active tip, highest first, with
 * the length of the branch off the active chain and its status. peerd checks a block fully
 * (within its validation scope) when it stores it, so a branch whose blocks are all stored is
 * "valid-fork"; Core's "valid-headers" (stored but not yet validated) never occurs.
 */
final class ChainTipsRpc {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ChainControl chain;

  ChainTipsRpc(ChainControl chain) {
    this.chain = chain;
  }

  Map<String, RpcMethod> methods() {
    return Map.of("getchaintips", p -> chainTips());
  }

  private Object chainTips() {
    HeaderNode active = chain.chainView().snapshot().tip();
    ArrayNode tips = JSON.arrayNode();
    chain.chainView().leaves().stream()
        .sorted(Comparator.comparingInt(HeaderNode::height).reversed().thenComparing(node -> node.hash().toString()))
        .forEach(tip -> {
          HeaderNode fork = HeaderNode.lastCommonAncestor(tip, active);
          tips.addObject()
              .put("height", tip.height())
              .put("hash", tip.hash().toString())
              .put("branchlen", tip.height() - fork.height())
              .put("status", status(tip, fork, active));
        });
    return tips;
  }

  /** Core's order of checks: active, invalid, a block missing on the branch, else a valid fork. */
  private static String status(HeaderNode tip, HeaderNode fork, HeaderNode active) {
    if (tip == active) {
      return "active";
    }
    if (!tip.isValid()) {
      return "invalid";
    }
    for (HeaderNode node = tip; node != fork; node = node.parent()) {
      if (!node.hasBlock()) {
        return "headers-only";
      }
    }
    return "valid-fork";
  }
}
