package dev.coffer.routing;

import static dev.coffer.routing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.coffer.core.model.ShardId;
import dev.coffer.core.model.VaultName;
import dev.coffer.routing.health.Upstreams;
import dev.coffer.routing.proxy.NettyLoops;
import dev.coffer.routing.proxy.ProxySettings;
import dev.coffer.routing.proxy.RouterMetrics;
import dev.coffer.routing.proxy.RouterServer;
import dev.coffer.routing.proxy.RouterTls;
import dev.coffer.routing.table.Cell;
import dev.coffer.routing.table.RoutingTable;
import dev.coffer.routing.table.Upstream;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * TLS on both sides, on real sockets: a router listening on every address (allowed only with TLS)
 * forwards over TLS to an upstream whose name it verifies, asking its context suppliers at each new
 * connection (which is what lets a reloaded certificate take effect without a restart).
 */
class RouterTlsIT {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void aRouterWithTlsOnBothSidesServesOnEveryAddress() throws Exception {
    TestCertificate upstreamCertificate = TestCertificate.loopback("upstream");
    TestCertificate routerCertificate = TestCertificate.loopback("router");
    SSLContext upstreamServerSide = serverContext(upstreamCertificate);
    AtomicInteger clientContexts = new AtomicInteger();
    AtomicInteger upstreamContexts = new AtomicInteger();
    SslContext forClients =
        SslContextBuilder.forServer(routerCertificate.key(), routerCertificate.certificate())
            .build();
    SslContext forUpstreams =
        SslContextBuilder.forClient().trustManager(upstreamCertificate.certificate()).build();
    Supplier<SslContext> clients =
        () -> {
          clientContexts.incrementAndGet();
          return forClients;
        };
    Supplier<SslContext> upstreams =
        () -> {
          upstreamContexts.incrementAndGet();
          return forUpstreams;
        };

    try (FakeUpstream host =
        new FakeUpstream("tls-host", upstreamServerSide.getServerSocketFactory())) {
      // The router verifies the upstream's address against the certificate's IP SAN.
      Upstream upstream = host.upstream();
      RoutingTable table = table(new Cell(ShardId.of("shard-a"), List.of(upstream)));
      RouterMetrics metrics = new RouterMetrics(new MetricRegistry());
      NettyLoops loops = new NettyLoops(1);
      RouterServer router =
          new RouterServer(
              new InetSocketAddress("0.0.0.0", 0),
              new RouterTls(Optional.of(clients), Optional.of(upstreams)),
              new ProxySettings(SECOND, SECOND, SECOND, SECOND, SECOND, SECOND, 4, 1024, false),
              table,
              new Upstreams(3, SECOND, metrics.ejections(), System::nanoTime),
              metrics,
              loops);
      router.start();
      try {
        for (int i = 0; i < 2; i++) {
          SSLSocket socket =
              (SSLSocket)
                  clientContext(routerCertificate)
                      .getSocketFactory()
                      .createSocket(
                          InetAddress.getLoopbackAddress(), router.boundAddress().getPort());
          try (RawHttp http = new RawHttp(socket)) {
            RawHttp.Answer answer =
                http.send(request("GET", "/v1/vaults/payments/secrets/db-password"));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Coffer-Upstream")).isEqualTo("tls-host");
          }
        }
      } finally {
        router.stop();
        loops.stop();
      }
      assertThat(clientContexts.get()).isEqualTo(2);
      assertThat(upstreamContexts.get()).isPositive();
    }
  }

  private static RoutingTable table(Cell cell) {
    return new RoutingTable() {
      @Override
      public Optional<Cell> cellOf(VaultName vault) {
        return vault.value().equals("payments") ? Optional.of(cell) : Optional.empty();
      }

      @Override
      public List<Upstream> controlPlanes() {
        return List.of();
      }
    };
  }

  private static SSLContext serverContext(TestCertificate certificate) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "test-only".toCharArray();
    keys.setKeyEntry(
        "server", certificate.key(), password, new Certificate[] {certificate.certificate()});
    KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }

  private static SSLContext clientContext(TestCertificate trusted) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("router", trusted.certificate());
    TrustManagerFactory managers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    managers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, managers.getTrustManagers(), null);
    return context;
  }
}
