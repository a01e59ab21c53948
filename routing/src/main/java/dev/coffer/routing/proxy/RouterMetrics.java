package dev.coffer.routing.proxy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.coffer.routing.table.Upstream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The router's metrics, all under {@code coffer.router.}: {@code requests.<route>.<status class>}
 * (route {@code read}, {@code control}, or {@code refused} for what the router answers before
 * routing), {@code upstream.<host_port>.first-byte} (a timer from the request written to the
 * answer's first byte), {@code retries}, {@code ejections}, and gauges of open client and upstream
 * connections.
 */
public final class RouterMetrics {
  private final MetricRegistry registry;
  private final Meter retries;
  private final Meter ejections;
  private final AtomicInteger clientConnections = new AtomicInteger();
  private final AtomicInteger upstreamConnections = new AtomicInteger();

  public RouterMetrics(MetricRegistry registry) {
    this.registry = registry;
    this.retries = registry.meter("coffer.router.retries");
    this.ejections = registry.meter("coffer.router.ejections");
    registry.register("coffer.router.connections.clients", (Gauge<Integer>) clientConnections::get);
    registry.register(
        "coffer.router.connections.upstreams", (Gauge<Integer>) upstreamConnections::get);
  }

  /** One request answered, by its route and the status the client got. */
  public void answered(String route, int status) {
    registry
        .meter(MetricRegistry.name("coffer.router.requests", route, status / 100 + "xx"))
        .mark();
  }

  public void firstByte(Upstream upstream, long nanos) {
    Timer timer =
        registry.timer(
            MetricRegistry.name(
                "coffer.router.upstream", upstream.authority().replace('.', '_'), "first-byte"));
    timer.update(nanos, TimeUnit.NANOSECONDS);
  }

  public Meter retries() {
    return retries;
  }

  public Meter ejections() {
    return ejections;
  }

  AtomicInteger clientConnections() {
    return clientConnections;
  }

  AtomicInteger upstreamConnections() {
    return upstreamConnections;
  }
}
