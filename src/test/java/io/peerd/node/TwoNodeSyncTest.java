package io.peerd.node;

import static io.peerd.testing.TestNodes.awaitTip;
import static io.peerd.testing.TestNodes.mine;
import static org.assertj.core.api.Assertions.assertThat;

import io.peerd.testing.TestNodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoNodeSyncTest {
  @TempDir
  Path dir;

  @Test
  void followerSyncsWhatTheProducerMinedAndThenWhatItAnnounces() throws Exception {
    try (Node producer = TestNodes.start(TestNodes.regtest(dir.resolve("producer")))) {
      mine(producer, 300);
      try (Node follower = TestNodes.start(TestNodes.connectedTo(dir.resolve("follower"), producer.p2pAddress()))) {
        awaitTip(follower, producer);
        mine(producer, 5);
        awaitTip(follower, producer);
        assertThat(follower.snapshot().tipHeight()).isEqualTo(305);
      }
    }
  }
}
