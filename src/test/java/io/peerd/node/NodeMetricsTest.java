package io.peerd.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerd.banman.Subnet;
import io.peerd.testing.TestNodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real regtest node serving --metrics on 127.0.0.1, scraped over real HTTP: the names are
 * there, and they move as blocks are mined, a second node connects, trades messages and leaves, a
 * socket leaves before its version, and a banned address is refused.
 */
class NodeMetricsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path leaderDir;
  @TempDir
  Path followerDir;

  @Test
  void aScrapeShowsTheNodesMetricsAndTheyMoveWithBlocksAndPeers() throws Exception {
    InetSocketAddress metricsAddress;
    NodeConfig config = TestNodes.regtest(leaderDir).withMetrics(new InetSocketAddress("127.0.0.1", 0));
    try (Node leader = TestNodes.start(config)) {
      metricsAddress = leader.metricsAddress();
      assertThat(metricsAddress.getAddress().isLoopbackAddress()).isTrue();
      String before = scrape(metricsAddress);
      assertThat(before).contains("peerd_peers{direction=\"inbound\",type=\"inbound\"} 0",
          "peerd_chain_tip_height_blocks 0", "peerd_actor_mailbox_depth_messages{actor=\"chain\"}",
          "peerd_actor_messages_refused_total{actor=\"sync\"} 0",
          "peerd_actor_watchdog_stalls_total{actor=\"server\"} 0",
          "peerd_handshakes_failed_total{reason=\"duplicate\"} 0", "peerd_inbound_refused_total{reason=\"banned\"} 0",
          "peerd_bans_total 0", "peerd_discouragements_total 0", "peerd_sync_verification_progress_ratio",
          "peerd_store_write_seconds_count", "jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
          "process_cpu_usage", "process_uptime_seconds", "process_files_open_files");

      assertThat(dashboardSeries()).as("every peerd series the Grafana dashboard queries is exported")
          .allSatisfy(name -> assertThat(before).containsPattern("(?m)^" + name + "[{ ]"));

      TestNodes.mine(leader, 3);
      String mined = scrape(metricsAddress);
      assertThat(value(mined, "peerd_chain_tip_height_blocks")).isEqualTo(3);
      assertThat(value(mined, "peerd_chain_best_header_height_blocks")).isEqualTo(3);
      assertThat(value(mined, "peerd_store_write_seconds_count"))
          .isGreaterThan(value(before, "peerd_store_write_seconds_count"));
      assertThat(value(mined, "peerd_actor_messages_handled_total{actor=\"chain\"}"))
          .isGreaterThan(value(before, "peerd_actor_messages_handled_total{actor=\"chain\"}"));

      try (Node follower = TestNodes.start(TestNodes.connectedTo(followerDir, leader.p2pAddress()))) {
        TestNodes.awaitTip(follower, leader);
        String connected = scrape(metricsAddress);
        assertThat(value(connected, "peerd_peers{direction=\"inbound\",type=\"inbound\"}")).isEqualTo(1);
        assertThat(value(connected, "peerd_handshakes_completed_total")).isEqualTo(1);
        assertThat(value(connected, "peerd_network_received_messages_total{command=\"version\"}")).isEqualTo(1);
        assertThat(value(connected, "peerd_network_sent_messages_total{command=\"block\"}")).isEqualTo(3);
        assertThat(value(connected, "peerd_network_received_bytes_total{command=\"getdata\"}")).isPositive();
        assertThat(value(connected, "peerd_network_sent_bytes_total{command=\"headers\"}")).isPositive();
      }
      await().atMost(TestNodes.PROMPTLY).untilAsserted(() -> {
        String left = scrape(metricsAddress);
        assertThat(value(left, "peerd_peers{direction=\"inbound\",type=\"inbound\"}")).isZero();
        assertThat(value(left, "peerd_peer_disconnects_total{reason=\"connection_lost\"}")).isEqualTo(1);
        assertThat(value(left, "peerd_network_sent_messages_total{command=\"block\"}"))
            .as("a counter does not fall when its peer leaves").isEqualTo(3);
      });

      new Socket(leader.p2pAddress().getAddress(), leader.p2pAddress().getPort()).close(); // no version
      await().atMost(TestNodes.PROMPTLY).untilAsserted(() -> assertThat(
          value(scrape(metricsAddress), "peerd_handshakes_failed_total{reason=\"connection_lost\"}")).isEqualTo(1));
      leader.server().setBan(Subnet.parse("127.0.0.1/32"), true, System.currentTimeMillis() / 1000 + 3_600)
          .get(5, TimeUnit.SECONDS);
      new Socket(leader.p2pAddress().getAddress(), leader.p2pAddress().getPort()).close();
      await().atMost(TestNodes.PROMPTLY).untilAsserted(() -> {
        String banned = scrape(metricsAddress);
        assertThat(value(banned, "peerd_inbound_refused_total{reason=\"banned\"}")).isEqualTo(1);
        assertThat(value(banned, "peerd_bans_total")).isEqualTo(1);
        assertThat(value(banned, "peerd_banned_subnets")).isEqualTo(1);
      });

      HttpResponse<String> elsewhere = get(metricsAddress, "/");
      assertThat(elsewhere.statusCode()).isEqualTo(404);
    }
    assertThatThrownBy(() -> scrape(metricsAddress)).as("closed with the node").isInstanceOf(ConnectException.class);
  }

  @Test
  void metricsAreOffByDefault() throws Exception {
    try (Node node = TestNodes.start(TestNodes.regtest(leaderDir))) {
      assertThat(node.config().metrics()).isNull();
      assertThat(node.metricsAddress()).isNull();
    }
  }

  /** The peerd_ series names in docs/grafana/peerd-dashboard.json's queries. */
  private static Set<String> dashboardSeries() throws IOException {
    String dashboard = Files.readString(Path.of("docs/grafana/peerd-dashboard.json"));
    Set<String> names = new TreeSet<>();
    Matcher name = Pattern.compile("\\bpeerd_[a-z_]+").matcher(dashboard);
    while (name.find()) {
      names.add(name.group());
    }
    assertThat(names).hasSizeGreaterThan(20);
    return names;
  }

  private static String scrape(InetSocketAddress address) throws IOException, InterruptedException {
    HttpResponse<String> response = get(address, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    return response.body();
  }

  private static HttpResponse<String> get(InetSocketAddress address, String path)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + address.getPort() + path);
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the series written exactly as {@code series} (name and labels). */
  private static double value(String scrape, String series) {
    Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    assertThat(line.find()).as("series %s in\n%s", series, scrape).isTrue();
    return Double.parseDouble(line.group(1));
  }
}
