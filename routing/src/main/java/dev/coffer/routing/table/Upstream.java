package dev.coffer.routing.table;

import java.util.Objects;

/**
 * A server the router forwards to, by the host and port of its API (never its admin port).
 *
 * @param host a name or IP literal, as given in configuration; also the {@code Host} header sent
 */
public record Upstream(String host, int port) {
  public Upstream {
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || port < 1 || port > 65_535) {
      throw new IllegalArgumentException("an upstream needs a host and a port in 1..65535");
    }
  }

  /** Parses {@code host:port} ({@code [v6]:port} for an IPv6 literal). */
  public static Upstream parse(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostAndPort.length() - 1) {
      throw new IllegalArgumentException("an upstream is written host:port");
    }
    String host = hostAndPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new Upstream(host, Integer.parseInt(hostAndPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("an upstream's port is a number");
    }
  }

  /** The {@code Host} header's value for a request to this upstream. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return authority();
  }
}
