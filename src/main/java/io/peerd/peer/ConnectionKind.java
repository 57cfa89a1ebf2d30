package io.peerd.peer;

/** Why a connection exists; decides limits and what is relayed over it. */
public enum ConnectionKind {
  INBOUND,
  /** Outbound to an address-book address: headers, blocks, addresses. */
  OUTBOUND_FULL,
  /** Outbound for blocks only: no address relay (hides the topology). */
  OUTBOUND_BLOCK_RELAY,
  /** Outbound to a persistent peer (--connect, --addnode, RPC addnode), owned by its worker. */
  MANUAL,
  /** RPC addnode onetry: dialed once, never retried. */
  ONE_TRY,
  /** Core's feeler: tests that an address answers (its version), then closes. */
  FEELER,
  /** Core's addr-fetch (--seednode): asks for addresses, closes once they came. */
  ADDR_FETCH;

  public boolean isOutbound() {
    return this != INBOUND;
  }

  public boolean relaysAddresses() {
    return this != OUTBOUND_BLOCK_RELAY && this != FEELER;
  }
}
