package io.peerd.api;

import io.peerd.chain.NetworkParameters;

/** The Bitcoin networks peerd runs on. */
public enum Network {
  MAINNET(NetworkParameters.MAINNET),
  TESTNET3(NetworkParameters.TESTNET3),
  TESTNET4(NetworkParameters.TESTNET4),
  SIGNET(NetworkParameters.SIGNET),
  REGTEST(NetworkParameters.REGTEST);

  private final NetworkParameters params;

  Network(NetworkParameters params) {
    this.params = params;
  }

  NetworkParameters params() {
    return params;
  }

  /** The network's default P2P port (8333 on mainnet, 18444 on regtest). */
  public int defaultPort() {
    return params.defaultPort();
  }
}
