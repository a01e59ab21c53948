package dev.coffer.routing.proxy;

import io.netty.handler.ssl.SslContext;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The router's TLS contexts: for client connections and for connections to upstreams. Each is a
 * supplier asked at every new connection, so a context reloaded from renewed certificate files is
 * used from the next connection on. Empty means plain HTTP on that side (client side: loopback
 * only).
 */
public record RouterTls(
    Optional<Supplier<SslContext>> clients, Optional<Supplier<SslContext>> upstreams) {
  /** Plain HTTP both ways, for a router on loopback. */
  public static RouterTls none() {
    return new RouterTls(Optional.empty(), Optional.empty());
  }
}
