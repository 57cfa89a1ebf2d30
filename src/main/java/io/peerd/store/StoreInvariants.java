package io.peerd.store;

import io.peerd.wire.Hash;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks that a store holds one consistent best chain: a tip, a height index from 0 to the tip
 * and nothing above, linked headers of rising work, all valid and with their blocks stored.
 * Used after crashes (tests) and by operators who suspect damage.
 */
public final class StoreInvariants {
  private StoreInvariants() {}

  /** Every violation found, as a sentence; empty when the store is consistent. */
  public static List<String> violations(ChainStore store) {
    List<String> problems = new ArrayList<>();
    Optional<ChainStore.Tip> tip = store.bestTip();
    if (tip.isEmpty()) {
      return problems; // never written: nothing to be inconsistent
    }
    Optional<Hash> tipHash = Optional.of(tip.get().hash());
    int tipHeight = tip.get().height();
    if (store.header(tipHeight, tipHash.get()).isEmpty()) {
      problems.add("tip " + tipHash.get() + " has no header entry at its height " + tipHeight);
      return problems;
    }
    if (store.hashAtHeight(tipHeight + 1).isPresent()) {
      problems.add("height index has an entry above the tip height " + tipHeight);
    }
    if (!store.hashAtHeight(tipHeight).equals(tipHash)) {
      problems.add("height index at the tip height " + tipHeight + " is not the tip");
    }
    StoredHeader child = null;
    for (int height = tipHeight; height >= 0; height--) {
      StoredHeader entry = checkHeight(store, height, problems);
      if (entry == null) {
        return problems;
      }
      if (child != null) {
        checkLink(entry, child, problems);
      }
      child = entry;
    }
    if (!child.header().previousHash().isZero()) {
      problems.add("height 0 is not a genesis block");
    }
    return problems;
  }

  private static StoredHeader checkHeight(ChainStore store, int height, List<String> problems) {
    Optional<Hash> hash = store.hashAtHeight(height);
    if (hash.isEmpty()) {
      problems.add("height index has no entry at " + height);
      return null;
    }
    Optional<StoredHeader> entry = store.header(height, hash.get());
    if (entry.isEmpty()) {
      problems.add("best chain hash " + hash.get() + " at " + height + " has no header entry");
      return null;
    }
    StoredHeader header = entry.get();
    if (header.height() != height) {
      problems.add(hash.get() + " is indexed at " + height + " but records height " + header.height());
    }
    if (header.status() != HeaderStatus.VALID) {
      problems.add("best chain block " + hash.get() + " is " + header.status());
    }
    Optional<byte[]> block = store.block(hash.get());
    if (!header.hasBlock() || block.isEmpty()) {
      problems.add("best chain block " + hash.get() + " at " + height + " is not stored");
    } else if (!Arrays.equals(block.get(), 0, 80, header.header().serialize(), 0, 80)) {
      problems.add("stored block " + hash.get() + " does not start with its header");
    }
    return header;
  }

  private static void checkLink(StoredHeader parent, StoredHeader child, List<String> problems) {
    if (!child.header().previousHash().equals(parent.hash())) {
      problems.add("block at " + child.height() + " does not link to the block at " + parent.height());
    }
    BigInteger gained = child.chainWork().subtract(parent.chainWork());
    if (gained.signum() <= 0) {
      problems.add("chain work does not rise from " + parent.height() + " to " + child.height());
    }
  }
}
