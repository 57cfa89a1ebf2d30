package io.peerd.node;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code help} says about each RPC method, in Core's categories and with Core's one-line
 * signatures ({@code ( )} around optional arguments, quotes around strings). Methods in the
 * "hidden" category (Core's for test-only methods) are left out of the list but have their help.
 */
final class RpcHelp {
  private record Entry(String category, String signature, String text) {
    String name() {
      int space = signature.indexOf(' ');
      return space < 0 ? signature : signature.substring(0, space);
    }
  }

  private static final String HIDDEN = "hidden";

  private static final List<Entry> ENTRIES = List.of(
      new Entry("blockchain", "getbestblockhash", "Returns the hash of the best (tip) block in the most-work fully-validated chain."),
      new Entry("blockchain", "getblock \"blockhash\" ( verbosity )", """
          If verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'.
          If verbosity is 1, returns an Object with information about block <hash>.
          If verbosity is 2, returns an Object with information about block <hash> and information about each \
          transaction (peerd keeps no UTXO set: no fee or prevout fields).

          Arguments:
          1. blockhash    (string, required) The block hash
          2. verbosity    (numeric, optional, default=1) 0 for hex-encoded data, 1 for a JSON object, \
          2 for JSON object with transaction data"""),
      new Entry("blockchain", "getblockchaininfo", "Returns an object containing various state info regarding blockchain processing."),
      new Entry("blockchain", "getblockcount", "Returns the height of the most-work fully-validated chain.\nThe genesis block has height 0."),
      new Entry("blockchain", "getblockhash height", """
          Returns hash of block in best-block-chain at height provided.

          Arguments:
          1. height    (numeric, required) The height index"""),
      new Entry("blockchain", "getblockheader \"blockhash\" ( verbose )", """
          If verbose is false, returns a string that is serialized, hex-encoded data for blockheader 'hash'.
          If verbose is true, returns an Object with information about blockheader <hash>.

          Arguments:
          1. blockhash    (string, required) The block hash
          2. verbose      (boolean, optional, default=true) true for a json object, false for the hex-encoded data"""),
      new Entry("blockchain", "getchaintips", """
          Return information about all known tips in the block tree, including the main chain as well as orphaned branches.
          status: "invalid", "headers-only", "valid-headers", "valid-fork" or "active"."""),
      new Entry("blockchain", "getdifficulty", "Returns the proof-of-work difficulty as a multiple of the minimum difficulty."),
      new Entry("control", "getmemoryinfo ( \"mode\" )", """
          Returns an object containing information about memory usage.
          peerd reports the JVM heap in Core's "locked" object: used, free (committed but unused) and total \
          (committed) bytes; locked, chunks_used and chunks_free are 0.

          Arguments:
          1. mode    (string, optional, default="stats") "stats" (the only mode peerd has)"""),
      new Entry("control", "getrpcinfo", "Returns details of the RPC server: the commands running now and the log file."),
      new Entry("control", "gethainfo", """
          peerd's own: this node's place in its HA block-production group (--ha-id, --ha-peers).
          Result: role (leader, follower, candidate), term, leader (its id), commit_index, applied_index,
          last_produced_height (the last block this member proposed and saw committed, -1 if none),
          proposed_blocks and failed_proposals (sent to Raft as leader; not committed in time: cut off),
          refused_entries (committed entries every member refused: stale proposals), and peers (id,
          address, and reachable as the leader sees it; absent on other members)."""),
      new Entry("control", "getwatchdoginfo", "peerd's own: what has work and makes no progress (actors, timers, peers, sync)."),
      new Entry("control", "help ( \"command\" )", """
          List all commands, or get help for a specified command.

          Arguments:
          1. command    (string, optional, default=all commands) The command to get help on"""),
      new Entry("control", "logging ( [\"include_category\",...] [\"exclude_category\",...] )", """
          Gets and sets the logging configuration.
          When called without an argument, returns the list of categories with status that are currently being \
          debug logged or not.
          When called with arguments, adds or removes categories from debug logging and return the lists above.
          The valid logging categories are: addrman, blockstorage, net, rpc, validation (peerd's packages under \
          each are in its README). "all" and "1" name every category.

          Arguments:
          1. include    (json array, optional) The categories to add to debug logging
          2. exclude    (json array, optional) The categories to remove from debug logging"""),
      new Entry("control", "stop", "Request a graceful shutdown of peerd."),
      new Entry("control", "uptime", "Returns the total uptime of the server, in seconds."),
      new Entry("generating", "generatetoaddress nblocks \"address\" ( maxtries )", """
          Mine to a specified address and return the block hashes (regtest).

          Arguments:
          1. nblocks     (numeric, required) How many blocks are generated.
          2. address     (string, required) The address to send the newly generated bitcoin to.
          3. maxtries    (numeric, optional) Accepted for Core's sake; regtest blocks need one try."""),
      new Entry(HIDDEN, "addpeeraddress \"address\" port ( tried )", "Add the address of a potential peer to the address manager (regtest)."),
      new Entry("network", "addnode \"node\" \"command\"", """
          Attempts to add or remove a node from the addnode list, or try a connection to a node once.

          Arguments:
          1. node       (string, required) The address of the peer to connect to
          2. command    (string, required) 'add' to add a node to the list, 'remove' to remove a node from the \
          list, 'onetry' to try a connection to the node once"""),
      new Entry("network", "clearbanned", "Clear all banned IPs."),
      new Entry("network", "disconnectnode ( \"address\" nodeid )", "Immediately disconnects from the specified peer node."),
      new Entry("network", "getaddednodeinfo ( \"node\" )", "Returns information about the given added node, or all added nodes."),
      new Entry("network", "getconnectioncount", "Returns the number of connections to other nodes."),
      new Entry("network", "getnettotals", "Returns information about network traffic, including bytes in, bytes out, and current system time."),
      new Entry("network", "getnetworkinfo", "Returns an object containing various state info regarding P2P networking."),
      new Entry("network", "getnodeaddresses ( count \"network\" )", "Return known addresses, after filtering for quality and recency."),
      new Entry("network", "getpeerinfo", "Returns data about each connected network peer as a json array of objects."),
      new Entry("network", "listbanned", "List all manually banned IPs/Subnets."),
      new Entry("network", "ping", """
          Requests that a ping be sent to all other nodes, to measure ping time.
          Results are provided in getpeerinfo, pingtime and pingwait fields."""),
      new Entry("network", "setban \"subnet\" \"command\" ( bantime absolute )", "Attempts to add or remove an IP/Subnet from the banned list."));

  private RpcHelp() {}

  /** Every method with help, listed or not. */
  static Set<String> methods() {
    return ENTRIES.stream().map(Entry::name).collect(Collectors.toSet());
  }

  /** Core's list: {@code == Category ==} sections in name order, one signature a line. */
  static String overview(Set<String> registered) {
    StringBuilder text = new StringBuilder();
    String category = "";
    for (Entry entry : ENTRIES.stream().filter(e -> !e.category().equals(HIDDEN) && registered.contains(e.name()))
        .sorted(Comparator.comparing(Entry::category).thenComparing(Entry::name)).toList()) {
      if (!entry.category().equals(category)) {
        text.append(category.isEmpty() ? "" : "\n").append("== ").append(capitalized(entry.category())).append(" ==\n");
        category = entry.category();
      }
      text.append(entry.signature()).append('\n');
    }
    return text.toString().stripTrailing();
  }

  /** One method's help: its signature, a blank line, what it does and its arguments. */
  static Optional<String> of(String method) {
    return ENTRIES.stream().filter(e -> e.name().equals(method)).findFirst()
        .map(e -> e.signature() + "\n\n" + e.text().stripTrailing());
  }

  private static String capitalized(String word) {
    return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
  }
}
