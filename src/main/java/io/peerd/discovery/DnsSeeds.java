package io.peerd.discovery;

import io.peerd.chain.NetworkParameters;
import java.util.List;

/**
 * The DNS seeds Bitcoin Core queries for each network (Core 30's chain parameters): host names
 * whose address records are nodes their operators saw recently. Regtest has none.
 */
public final class DnsSeeds {
  private DnsSeeds() {}

  public static List<String> of(NetworkParameters params) {
    if (params.equals(NetworkParameters.MAINNET)) {
      return List.of("seed.bitcoin.sipa.be", "dnsseed.bluematt.me", "dnsseed.bitcoin.dashjr-list-of-p2p-nodes.us",
          "seed.bitcoin.jonasschnelli.ch", "seed.btc.petertodd.net", "seed.bitcoin.sprovoost.nl", "dnsseed.emzy.de",
          "seed.bitcoin.wiz.biz", "seed.mainnet.achownodes.xyz");
    }
    if (params.equals(NetworkParameters.TESTNET3)) {
      return List.of("testnet-seed.bitcoin.jonasschnelli.ch", "seed.tbtc.petertodd.net",
          "seed.testnet.bitcoin.sprovoost.nl", "testnet-seed.bluematt.me", "seed.testnet.achownodes.xyz");
    }
    if (params.equals(NetworkParameters.TESTNET4)) {
      return List.of("seed.testnet4.bitcoin.sprovoost.nl", "seed.testnet4.wiz.biz");
    }
    if (params.equals(NetworkParameters.SIGNET)) {
      return List.of("seed.signet.bitcoin.sprovoost.nl", "seed.signet.achownodes.xyz");
    }
    return List.of();
  }
}
