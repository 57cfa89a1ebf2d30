package io.peerd.wire;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every command Bitcoin Core knows (its {@code ALL_NET_MESSAGE_TYPES}), each at a fixed index, so
 * that counters per command can be a plain array: a peer that sends made-up commands still costs
 * one slot, {@link #OTHER}, where Core's getpeerinfo counts them too.
 */
public final class Commands {
  /** Where every command outside Core's list is counted, under Core's name. */
  public static final String OTHER = "*other*";
  private static final List<String> NAMES = List.of("version", "verack", "addr", "addrv2", "sendaddrv2", "inv",
      "getdata", "merkleblock", "getblocks", "getheaders", "tx", "headers", "block", "getaddr", "mempool", "ping",
      "pong", "notfound", "filterload", "filteradd", "filterclear", "sendheaders", "feefilter", "sendcmpct",
      "cmpctblock", "getblocktxn", "blocktxn", "getcfilters", "cfilter", "getcfheaders", "cfheaders", "getcfcheckpt",
      "cfcheckpt", "wtxidrelay", "sendtxrcncl", OTHER);
  private static final Map<String, Integer> INDEXES = indexes();
  /** How many indexes there are, {@link #OTHER}'s included. */
  public static final int COUNT = NAMES.size();

  private Commands() {}

  /** The command's index, or {@link #OTHER}'s for a command Core does not know. */
  public static int indexOf(String command) {
    return INDEXES.getOrDefault(command, COUNT - 1);
  }

  public static String name(int index) {
    return NAMES.get(index);
  }

  private static Map<String, Integer> indexes() {
    Map<String, Integer> indexes = new HashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      indexes.put(NAMES.get(i), i);
    }
    return Map.copyOf(indexes);
  }
}
