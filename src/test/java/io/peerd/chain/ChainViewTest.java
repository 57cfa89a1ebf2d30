package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** getheaders/getblocks ranges served from the tip chain, as {@link ChainView} computes them. */
class ChainViewTest {
  private static final int MAX = 2_000;
  private List<HeaderNode> trunk;
  /** Forks off the trunk at height 10 and ends at height 35, above the trunk's 30. */
  private List<HeaderNode> branch;
  private ChainView view;

  @BeforeEach
  void build() {
    trunk = HeaderTrees.chain(30);
    branch = HeaderTrees.extend(trunk.get(10), 25, 1);
    Map<Hash, HeaderNode> index = new HashMap<>();
    trunk.forEach(node -> index.put(node.hash(), node));
    branch.forEach(node -> index.put(node.hash(), node));
    view = new ChainView(index, null, new ChainSnapshot(trunk.getLast(), branch.getLast()));
  }

  @Test
  void startsAfterTheFirstLocatorEntryOnTheTipChain() {
    assertThat(view.headersAfter(List.of(trunk.get(20).hash(), trunk.get(5).hash()), Hash.ZERO, MAX))
        .containsExactlyElementsOf(headers(trunk, 21, 30));
  }

  @Test
  void skipsLocatorEntriesOffTheTipChainAndUnknownOnes() {
    List<Hash> locator = List.of(unknown(), branch.get(20).hash(), branch.get(3).hash(), trunk.get(8).hash(),
        trunk.get(2).hash());
    assertThat(view.headersAfter(locator, Hash.ZERO, MAX)).containsExactlyElementsOf(headers(trunk, 9, 30));
  }

  @Test
  void aRealLocatorFromTheBranchStartsAtItsHighestEntryOnTheTipChain() {
    // The branch tip's locator holds heights 35..26, 24, 20, 12 (all on the branch), then genesis.
    assertThat(view.headersAfter(Chain.locator(branch.getLast()), Hash.ZERO, MAX))
        .containsExactlyElementsOf(headers(trunk, 1, 30));
    // From the trunk's height-22 node: 22..13, 11, 7, then genesis; 22 is on the tip chain.
    assertThat(view.headersAfter(Chain.locator(trunk.get(22)), Hash.ZERO, MAX))
        .containsExactlyElementsOf(headers(trunk, 23, 30));
  }

  @Test
  void unknownLocatorsStartFromGenesis() {
    assertThat(view.headersAfter(List.of(unknown()), Hash.ZERO, MAX)).containsExactlyElementsOf(headers(trunk, 1, 30));
    assertThat(view.hashesAfter(List.of(), Hash.ZERO, MAX)).hasSize(30);
  }

  /** Bitcoin Core answers getheaders with an empty locator with the stop hash's header alone. */
  @Test
  void anEmptyGetheadersLocatorAsksForTheStopHeaderOnly() {
    assertThat(view.headersAfter(List.of(), trunk.get(7).hash(), MAX)).containsExactlyElementsOf(headers(trunk, 7, 7));
    assertThat(view.headersAfter(List.of(), unknown(), MAX)).isEmpty();
  }

  @Test
  void aLocatorAtTheTipGetsNothing() {
    assertThat(view.headersAfter(List.of(trunk.getLast().hash()), Hash.ZERO, MAX)).isEmpty();
    assertThat(view.hashesAfter(List.of(trunk.getLast().hash()), Hash.ZERO, MAX)).isEmpty();
  }

  @Test
  void atMostMaxEntries() {
    assertThat(servedAfterTrunk(3, Hash.ZERO, 5)).containsExactlyElementsOf(headers(trunk, 4, 8));
    assertThat(servedAfterTrunk(29, Hash.ZERO, 5)).containsExactlyElementsOf(headers(trunk, 30, 30));
    assertThat(servedAfterTrunk(3, Hash.ZERO, 0)).isEmpty();
    assertThat(servedAfterTrunk(3, Hash.ZERO, 1)).containsExactlyElementsOf(headers(trunk, 4, 4));
  }

  @Test
  void endsAtTheStopHashInclusive() {
    assertThat(servedAfterTrunk(20, trunk.get(25).hash(), MAX))
        .containsExactlyElementsOf(headers(trunk, 21, 25));
    assertThat(servedAfterTrunk(20, trunk.get(21).hash(), MAX))
        .containsExactlyElementsOf(headers(trunk, 21, 21));
  }

  @Test
  void aStopHashOutsideTheRangeIsIgnored() {
    List<BlockHeader> all = headers(trunk, 21, 30);
    assertThat(servedAfterTrunk(20, trunk.get(20).hash(), MAX)).containsExactlyElementsOf(all);
    assertThat(servedAfterTrunk(20, trunk.get(5).hash(), MAX)).containsExactlyElementsOf(all);
    assertThat(servedAfterTrunk(20, branch.get(15).hash(), MAX)).containsExactlyElementsOf(all);
    assertThat(servedAfterTrunk(20, trunk.get(28).hash(), 5))
        .as("the cap comes before a later stop").containsExactlyElementsOf(headers(trunk, 21, 25));
  }

  @Test
  void hashesAfterServesTheSameRangeButEndsBeforeTheStopHash() {
    List<Hash> locator = List.of(branch.get(4).hash(), trunk.get(7).hash());
    assertThat(view.hashesAfter(locator, trunk.get(19).hash(), 10))
        .containsExactlyElementsOf(headers(trunk, 8, 17).stream().map(BlockHeader::hash).toList());
    assertThat(view.hashesAfter(locator, trunk.get(12).hash(), 10)).as("getblocks stops before the stop hash")
        .containsExactlyElementsOf(headers(trunk, 8, 11).stream().map(BlockHeader::hash).toList());
  }

  @Test
  void servesTheNewTipChainOnceTheTipMoves() {
    view.publish(new ChainSnapshot(branch.getLast(), branch.getLast()));
    assertThat(view.headersAfter(List.of(trunk.get(20).hash(), trunk.get(9).hash()), Hash.ZERO, MAX))
        .as("trunk 20 is off the new tip chain").containsExactlyElementsOf(
            IntStream.rangeClosed(10, 35).mapToObj(h -> branch.getLast().ancestor(h).header()).toList());
    assertThat(view.isOnTipChain(trunk.get(20).hash())).isFalse();
    assertThat(view.isOnTipChain(trunk.get(10).hash())).isTrue();
    assertThat(view.isOnTipChain(branch.get(0).hash())).isTrue();
    assertThat(view.isOnTipChain(unknown())).isFalse();
    assertThat(view.onTipChain(11)).containsSame(branch.get(0));
    assertThat(view.onTipChain(36)).isEmpty();
  }

  /** What a getheaders with the trunk's block at {@code height} as the only locator entry gets. */
  private List<BlockHeader> servedAfterTrunk(int height, Hash stop, int max) {
    return view.headersAfter(List.of(trunk.get(height).hash()), stop, max);
  }

  private static List<BlockHeader> headers(List<HeaderNode> chain, int fromHeight, int toHeight) {
    return IntStream.rangeClosed(fromHeight, toHeight).mapToObj(h -> chain.get(h).header()).toList();
  }

  private static Hash unknown() {
    byte[] bytes = new byte[32];
    bytes[0] = 0x5a;
    return Hash.wrap(bytes);
  }
}
