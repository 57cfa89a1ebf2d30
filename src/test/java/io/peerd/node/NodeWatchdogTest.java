package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerd.testing.NodeRpcClient;
import io.peerd.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's watchdog runs on timers of its own: when the node's timer thread is stuck (a task
 * that never returns, with others due behind it), the stall reaches the log and RPC
 * getwatchdoginfo with the timer thread's stack.
 */
class NodeWatchdogTest {
  private static final long STALL_MILLIS = 200;

  @TempDir
  Path dir;

  @Test
  void aStuckTimerThreadIsReportedOverRpc() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Node node = TestNodes.start(TestNodes.regtest(dir).withWatchdogStallMillis(STALL_MILLIS))) {
      node.timers().once(0, () -> awaitQuietly(release));
      NodeRpcClient rpc = NodeRpcClient.of(node);

      JsonNode stalled = await("the timer thread reported").atMost(Duration.ofSeconds(10))
          .until(() -> rpc.call("getwatchdoginfo").get("stalled"), list -> !list.isEmpty());
      JsonNode stall = stalled.get(0);
      assertThat(stall.get("subject").asText()).isEqualTo("actor 'timers'");
      assertThat(stall.get("stack").toString()).contains("awaitQuietly");
      release.countDown();
      await("the report ends when the thread moves").atMost(Duration.ofSeconds(10))
          .until(() -> rpc.call("getwatchdoginfo").get("stalled").isEmpty());
      assertThat(rpc.call("getwatchdoginfo").get("stall_count").asLong()).isOne();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
