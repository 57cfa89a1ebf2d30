package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.peer.ConnectionKind;
import org.junit.jupiter.api.Test;

class PeerInfoTest {
  @Test
  void aUserAgentKeepsOnlyTheCharactersCoreShows() {
    assertThat(PeerInfo.sanitized("/Satoshi:27.0.0(x; y)/")).isEqualTo("/Satoshi:27.0.0(x; y)/");
    assertThat(PeerInfo.sanitized("/evil\n\"x\":1,\u001b[2J<b>é/")).isEqualTo("/evilx:1,2Jb/");
  }

  @Test
  void connectionKindsHaveCoresConnectionTypes() {
    assertThat(PeerInfo.connectionType(ConnectionKind.INBOUND)).isEqualTo("inbound");
    assertThat(PeerInfo.connectionType(ConnectionKind.OUTBOUND_FULL)).isEqualTo("outbound-full-relay");
    assertThat(PeerInfo.connectionType(ConnectionKind.OUTBOUND_BLOCK_RELAY)).isEqualTo("block-relay-only");
    assertThat(PeerInfo.connectionType(ConnectionKind.MANUAL)).isEqualTo("manual");
    assertThat(PeerInfo.connectionType(ConnectionKind.ONE_TRY)).as("addnode onetry is manual in Core").isEqualTo("manual");
  }
}
