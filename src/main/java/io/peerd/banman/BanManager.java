package io.peerd.banman;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Core's two levels of refusal. A <em>ban</em> (RPC setban) refuses a whole subnet until a time,
 * inbound and outbound. A <em>discouraged</em> address misbehaved: it is not banned, only given a
 * slot last and evicted first, for {@code discourageMillis}. At most {@code maxBans} bans and
 * {@code maxDiscouraged} discouraged addresses (the oldest is forgotten first). Every change marks
 * it dirty, for the owner to save ({@link BanFile}); expired entries go when next looked at.
 *
 * <p>Owned by the server's thread: no locks.
 */
public final class BanManager {
  /** A ban as listbanned shows it; times in seconds since the epoch. */
  public record Ban(Subnet subnet, long createdSeconds, long untilSeconds) {}

  private final long discourageMillis;
  private final int maxBans;
  private final Map<Subnet, Ban> bans = new LinkedHashMap<>();
  private final Map<InetAddress, Long> discouragedUntilMillis;
  private boolean dirty;

  public BanManager(long discourageMillis, int maxBans, int maxDiscouraged) {
    if (discourageMillis <= 0 || maxBans <= 0 || maxDiscouraged <= 0) {
      throw new IllegalArgumentException("ban and discouragement bounds must be positive");
    }
    this.discourageMillis = discourageMillis;
    this.maxBans = maxBans;
    this.discouragedUntilMillis = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<InetAddress, Long> eldest) {
        return size() > maxDiscouraged;
      }
    };
  }

  // ------------------------------------------------------------ bans

  /** Bans {@code subnet} until {@code untilSeconds}; the refusal as Core words it, if refused. */
  public Optional<String> ban(Subnet subnet, long createdSeconds, long untilSeconds) {
    pruneBans(createdSeconds);
    if (bans.containsKey(subnet)) {
      return Optional.of("Error: IP/Subnet already banned");
    }
    if (bans.size() >= maxBans) {
      return Optional.of("Error: at most " + maxBans + " bans");
    }
    if (untilSeconds <= createdSeconds) {
      return Optional.of("Error: the ban would already have ended");
    }
    bans.put(subnet, new Ban(subnet, createdSeconds, untilSeconds));
    dirty = true;
    return Optional.empty();
  }

  /** Lifts the ban on exactly {@code subnet}, and the discouragement of addresses in it; false if it was not banned. */
  public boolean unban(Subnet subnet) {
    boolean removed = bans.remove(subnet) != null;
    boolean undiscouraged = discouragedUntilMillis.keySet().removeIf(subnet::contains);
    dirty |= removed || undiscouraged;
    return removed;
  }

  /** RPC clearbanned: every ban, and every discouragement, lifted. */
  public void clear() {
    bans.clear();
    discouragedUntilMillis.clear();
    dirty = true;
  }

  public boolean isBanned(InetAddress address, long nowMillis) {
    pruneBans(nowMillis / 1000);
    return bans.keySet().stream().anyMatch(subnet -> subnet.contains(address));
  }

  /** The bans in force, oldest first. */
  public List<Ban> bans(long nowMillis) {
    pruneBans(nowMillis / 1000);
    return List.copyOf(bans.values());
  }

  private void pruneBans(long nowSeconds) {
    dirty |= bans.values().removeIf(ban -> ban.untilSeconds() <= nowSeconds);
  }

  // ------------------------------------------------------------ discouragement

  public void discourage(InetAddress address, long nowMillis) {
    discouragedUntilMillis.remove(address); // re-inserted: the newest is the last to be forgotten
    discouragedUntilMillis.put(address, nowMillis + discourageMillis);
    dirty = true;
  }

  public boolean isDiscouraged(InetAddress address, long nowMillis) {
    Long until = discouragedUntilMillis.get(address);
    if (until == null) {
      return false;
    }
    if (until <= nowMillis) {
      discouragedUntilMillis.remove(address);
      dirty = true;
      return false;
    }
    return true;
  }

  // ------------------------------------------------------------ persistence

  /** True once since the last call if anything changed: the owner saves then. */
  public boolean takeDirty() {
    boolean was = dirty;
    dirty = false;
    return was;
  }

  /** What {@link BanFile} writes: the bans and the discouraged addresses with their ends. */
  public BanFile.Contents contents() {
    List<BanFile.Discouraged> discouraged = new ArrayList<>(discouragedUntilMillis.size());
    discouragedUntilMillis.forEach((address, until) -> discouraged.add(new BanFile.Discouraged(address, until)));
    return new BanFile.Contents(List.copyOf(bans.values()), discouraged);
  }

  /** Takes back what was saved, within this manager's bounds; expired entries are dropped as met. */
  public void restore(BanFile.Contents contents) {
    contents.bans().stream().limit(maxBans).forEach(ban -> bans.put(ban.subnet(), ban));
    contents.discouraged().forEach(d -> discouragedUntilMillis.put(d.address(), d.untilMillis()));
  }
}
