package io.peerd.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/** Turns a host name into addresses; blocking, so only ever called on a lookup thread. */
public interface NameResolver {
  /** The system's resolver (DNS). */
  NameResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  List<InetAddress> resolve(String host) throws IOException;
}
