package dev.coffer.routing.proxy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.coffer.routing.health.Upstreams;
import dev.coffer.routing.table.RoutingTable;
import dev.coffer.routing.table.Upstream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterServerTest {
  @Test
  void plainHttpOnAnAddressOtherThanLoopbackRefusesToStart() {
    Duration second = Duration.ofSeconds(1);
    ProxySettings settings =
        new ProxySettings(second, second, second, second, second, second, 1, 1024, false);
    RoutingTable table =
        new RoutingTable() {
          @Override
          public Optional<dev.coffer.routing.table.Cell> cellOf(
              dev.coffer.core.model.VaultName vault) {
            return Optional.empty();
          }

          @Override
          public List<Upstream> controlPlanes() {
            return List.of();
          }
        };
    MetricRegistry registry = new MetricRegistry();
    RouterMetrics metrics = new RouterMetrics(registry);
    NettyLoops loops = new NettyLoops(1);
    try {
      RouterServer server =
          new RouterServer(
              new InetSocketAddress("0.0.0.0", 0),
              RouterTls.none(),
              settings,
              table,
              new Upstreams(3, second, metrics.ejections(), System::nanoTime),
              metrics,
              loops);
      assertThatThrownBy(server::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("loopback");
    } finally {
      loops.stop();
    }
  }
}
