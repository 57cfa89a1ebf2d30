package io.peerd.server;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IPs refused for a while after misbehaving (or speaking another network). At most
 * {@code capacity} entries: the oldest is forgotten first. Owned by the server thread.
 */
final class Discouragement {
  private final long durationMillis;
  private final Map<InetAddress, Long> untilMillis;

  Discouragement(long durationMillis, int capacity) {
    this.durationMillis = durationMillis;
    this.untilMillis = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<InetAddress, Long> eldest) {
        return size() > capacity;
      }
    };
  }

  void discourage(InetAddress address, long nowMillis) {
    untilMillis.remove(address); // re-insert: the newest entry is the last to be forgotten
    untilMillis.put(address, nowMillis + durationMillis);
  }

  boolean isDiscouraged(InetAddress address, long nowMillis) {
    Long until = untilMillis.get(address);
    if (until == null) {
      return false;
    }
    if (until <= nowMillis) {
      untilMillis.remove(address);
      return false;
    }
    return true;
  }

  int size() {
    return untilMillis.size();
  }
}
