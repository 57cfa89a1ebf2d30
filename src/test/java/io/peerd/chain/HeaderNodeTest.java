package io.peerd.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerd.store.HeaderStatus;
import io.peerd.wire.BlockHeader;
import io.peerd.wire.Hash;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Skip pointers, ancestors and fork points on trees of a few thousand headers. */
class HeaderNodeTest {
  private static final int LENGTH = 3_000;
  /** Fork heights worth checking: the start, powers of two and their neighbours, the end. */
  private static final int[] FORK_HEIGHTS = {0, 1, 2, 3, 511, 512, 513, 1_000, 2_047, 2_048, 2_049, 2_999, 3_000};
  private static List<HeaderNode> trunk;

  @BeforeAll
  static void buildTrunk() {
    trunk = HeaderTrees.chain(LENGTH);
  }

  @ParameterizedTest(name = "height {0} skips to {1}")
  @CsvSource({"0, 0", "1, 0", "2, 0", "3, 1", "4, 0", "5, 1", "6, 4", "7, 1", "8, 0", "12, 8", "13, 1", "14, 12",
      "15, 9", "100, 96", "101, 65", "2048, 0", "2049, 1", "2999, 2993", "3000, 2992"})
  void skipHeightsFollowBitcoinCore(int height, int expected) {
    assertThat(HeaderNode.skipHeight(height)).isEqualTo(expected);
  }

  @Test
  void everySkipHeightIsBelowItsHeight() {
    for (int height = 2; height <= 1 << 20; height++) {
      int skip = HeaderNode.skipHeight(height);
      if (skip < 0 || skip > height - 2) {
        throw new AssertionError("height " + height + " skips to " + skip);
      }
    }
  }

  @Test
  void ancestorAtEveryHeightOfEveryNodeEqualsWalkingParents() {
    for (HeaderNode node : trunk) {
      HeaderNode walked = node;
      for (int height = node.height(); height >= 0; height--) {
        HeaderNode found = node.ancestor(height);
        if (found != walked || walked != trunk.get(height)) {
          throw new AssertionError("ancestor " + height + " of " + node + " is " + found + ", walking gives " + walked);
        }
        walked = walked.parent();
      }
      assertThat(walked).isNull();
    }
  }

  @Test
  void ancestorOutOfRangeIsNull() {
    HeaderNode node = trunk.get(100);
    assertThat(node.ancestor(101)).isNull();
    assertThat(node.ancestor(-1)).isNull();
    assertThat(node.ancestor(Integer.MAX_VALUE)).isNull();
    assertThat(trunk.get(0).ancestor(0)).isSameAs(trunk.get(0));
  }

  @Test
  void ancestorsOnABranchStayOnTheBranchAboveTheForkAndJoinTheTrunkBelow() {
    for (int forkHeight : FORK_HEIGHTS) {
      List<HeaderNode> branch = HeaderTrees.extend(trunk.get(forkHeight), 300, 1);
      HeaderNode tip = branch.getLast();
      for (int height = 0; height <= tip.height(); height++) {
        HeaderNode expected = height <= forkHeight ? trunk.get(height) : branch.get(height - forkHeight - 1);
        assertThat(tip.ancestor(height)).as("fork %d, height %d", forkHeight, height).isSameAs(expected);
      }
    }
  }

  @Test
  void lastCommonAncestorOfTwoBranchesIsTheirForkPoint() {
    for (int forkHeight : FORK_HEIGHTS) {
      List<HeaderNode> left = HeaderTrees.extend(trunk.get(forkHeight), 40, 1);
      List<HeaderNode> right = HeaderTrees.extend(trunk.get(forkHeight), 7, 2);
      HeaderNode fork = trunk.get(forkHeight);
      assertThat(HeaderNode.lastCommonAncestor(left.getLast(), right.getLast())).isSameAs(fork);
      assertThat(HeaderNode.lastCommonAncestor(right.getLast(), left.getLast())).isSameAs(fork);
      assertThat(HeaderNode.lastCommonAncestor(left.get(0), right.get(0))).isSameAs(fork);
      assertThat(HeaderNode.lastCommonAncestor(left.getLast(), trunk.getLast())).isSameAs(fork);
    }
  }

  @Test
  void lastCommonAncestorOnOneChainIsTheLowerNode() {
    assertThat(HeaderNode.lastCommonAncestor(trunk.get(2_500), trunk.get(17))).isSameAs(trunk.get(17));
    assertThat(HeaderNode.lastCommonAncestor(trunk.get(17), trunk.get(2_500))).isSameAs(trunk.get(17));
    assertThat(HeaderNode.lastCommonAncestor(trunk.get(900), trunk.get(900))).isSameAs(trunk.get(900));
  }

  @Test
  void lastCommonAncestorOfNestedForksIsTheLowerFork() {
    List<HeaderNode> outer = HeaderTrees.extend(trunk.get(1_000), 500, 1);
    List<HeaderNode> inner = HeaderTrees.extend(outer.get(199), 10, 2); // forks off outer at height 1,200
    assertThat(HeaderNode.lastCommonAncestor(inner.getLast(), outer.getLast())).isSameAs(outer.get(199));
    assertThat(HeaderNode.lastCommonAncestor(inner.getLast(), trunk.getLast())).isSameAs(trunk.get(1_000));
  }

  @Test
  void isAncestorOfFollowsTheTree() {
    List<HeaderNode> branch = HeaderTrees.extend(trunk.get(2_048), 10, 1);
    HeaderNode node = trunk.get(1_234);
    assertThat(node.isAncestorOf(node)).isTrue();
    assertThat(node.isAncestorOf(trunk.getLast())).isTrue();
    assertThat(node.isAncestorOf(branch.getLast())).isTrue();
    assertThat(trunk.get(0).isAncestorOf(branch.getLast())).isTrue();
    assertThat(trunk.getLast().isAncestorOf(node)).as("a descendant is no ancestor").isFalse();
    assertThat(trunk.get(2_049).isAncestorOf(branch.getLast())).as("the other side of a fork").isFalse();
    assertThat(branch.get(0).isAncestorOf(trunk.get(2_049))).isFalse();
    assertThat(branch.get(0).isAncestorOf(trunk.get(2_000))).as("lower than the node").isFalse();
  }

  @Test
  void heightAndChainWorkAddUpAlongTheChain() {
    HeaderNode tip = trunk.getLast();
    assertThat(tip.height()).isEqualTo(LENGTH);
    assertThat(tip.chainWork()).isEqualTo(trunk.get(0).chainWork()
        .add(ProofOfWork.work(tip.header().bits()).multiply(java.math.BigInteger.valueOf(LENGTH))));
  }

  /** The tree keeps one Hash per header: a child's previous hash is its parent's own instance. */
  @Test
  void aChildKeepsItsParentsHashAsItsPreviousHashNotACopy() {
    HeaderNode parent = HeaderTrees.genesis();
    Hash copy = Hash.fromHex(parent.hash().toString());
    BlockHeader header = childHeader(copy, 7);
    HeaderNode child = new HeaderNode(header, parent, HeaderStatus.VALID, false);

    assertThat(child.header().previousHash()).isNotSameAs(copy).isSameAs(parent.hash());
    assertThat(child.header()).isEqualTo(header);
    assertThat(child.header().serialize()).isEqualTo(header.serialize());
    assertThatThrownBy(() -> header.sharingPreviousHash(Hash.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void childrenAreListedInTheOrderTheyArrived() {
    HeaderNode parent = HeaderTrees.genesis();
    assertThat(parent.children()).isEmpty();
    List<HeaderNode> children = new java.util.ArrayList<>();
    for (int nonce = 0; nonce < 3; nonce++) {
      children.add(new HeaderNode(childHeader(parent.hash(), nonce), parent, HeaderStatus.VALID, false));
      assertThat(parent.children()).containsExactlyElementsOf(children);
    }
  }

  private static BlockHeader childHeader(Hash previous, long nonce) {
    return new BlockHeader(0x20000000, previous, Hash.ZERO, 1_800_000_000L, 0x207fffff, nonce);
  }
}
