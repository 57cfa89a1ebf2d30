package io.peerd.banman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ban list survives a restart, and a damaged or half-written file never costs the last good one. */
class BanFileTest {
  @TempDir
  Path dir;

  @Test
  void bansAndDiscouragementRoundTrip() throws Exception {
    BanManager saved = new BanManager(60_000, 10, 10);
    saved.ban(Subnet.parse("10.0.0.0/24"), 100, 1_000_000);
    saved.ban(Subnet.parse("2001:db8::/32"), 100, 2_000_000);
    saved.discourage(BanManagerTest.ip(4), 1_000);
    Path file = dir.resolve("banlist.json");
    BanFile.save(file, saved.contents());

    BanManager loaded = new BanManager(60_000, 10, 10);
    loaded.restore(BanFile.load(file).orElseThrow());

    assertThat(loaded.bans(0)).isEqualTo(saved.bans(0));
    assertThat(loaded.isDiscouraged(BanManagerTest.ip(4), 60_999)).isTrue();
    assertThat(loaded.isDiscouraged(BanManagerTest.ip(4), 61_000)).isFalse();
  }

  @Test
  void noFileIsNoBansAndADamagedOneIsAnError() throws Exception {
    Path file = dir.resolve("banlist.json");
    assertThat(BanFile.load(file)).isEmpty();
    Files.writeString(file, "{\"format\":1,\"bans\":[{\"subnet\":\"not an address\"}]}");
    assertThatThrownBy(() -> BanFile.load(file)).isInstanceOf(IOException.class).hasMessageContaining("banlist.json");
    Files.writeString(file, "{\"format\":1,\"bans\":[");
    assertThatThrownBy(() -> BanFile.load(file)).isInstanceOf(IOException.class);
  }

  /** A kill -9 mid-save leaves a partial temporary file; the last saved list is what loads. */
  @Test
  void aHalfWrittenTemporaryFileLeavesTheLastGoodListInPlace() throws Exception {
    BanManager manager = new BanManager(60_000, 10, 10);
    manager.ban(Subnet.parse("10.0.0.0/24"), 100, 1_000_000);
    Path file = dir.resolve("banlist.json");
    BanFile.save(file, manager.contents());
    Files.writeString(dir.resolve("banlist.json.tmp"), "{\"format\":1,\"ba");

    assertThat(BanFile.load(file).orElseThrow().bans()).hasSize(1);
    manager.ban(Subnet.parse("10.0.1.0/24"), 100, 1_000_000);
    BanFile.save(file, manager.contents()); // the leftover is simply overwritten
    assertThat(BanFile.load(file).orElseThrow().bans()).hasSize(2);
  }
}
