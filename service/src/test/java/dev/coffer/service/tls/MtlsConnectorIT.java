package dev.coffer.service.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.IssuedCredential;
import dev.coffer.pki.Role;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real Dropwizard application whose application connector is {@code type: mtls}, reached over
 * real sockets with certificates of real CAs: who is let in, what a reload changes, what the
 * metrics and health check say, and that the admin port stays plain HTTP on 127.0.0.1.
 */
class MtlsConnectorIT {
  private static final String WHOAMI = "/v1/whoami";
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  /** One server whose files do not change: who gets in and who does not. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class AServerWithUnchangedFiles {
    private final CertificateAuthority cluster = MtlsServer.ca("coffer");
    private final CertificateAuthority other = MtlsServer.ca("elsewhere");
    private MtlsServer server;

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
      server = MtlsServer.start(directory, MtlsServer.issue(cluster, Role.HOST, "host-1"), cluster);
    }

    @AfterAll
    void stop() {
      server.close();
    }

    @Test
    void aRouterWithAClusterCertificateIsServedOverTls13AndKnownByItsIdentity() throws Exception {
      SSLContext router = client(MtlsServer.issue(cluster, Role.ROUTER, "router-1"));
      try (TlsTestClient connection = TlsTestClient.connect(router, server.port())) {
        TlsTestClient.Response response = connection.get(WHOAMI, MtlsServer.TOKEN);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("coffer://router/router-1");
        assertThat(connection.protocol()).isEqualTo("TLSv1.3");
      }
    }

    @Test
    void aClientWithoutTls13IsServedOverTls12() throws Exception {
      SSLContext router = client(MtlsServer.issue(cluster, Role.ROUTER, "router-1"));
      try (TlsTestClient connection = TlsTestClient.connect(router, server.port(), "TLSv1.2")) {
        assertThat(connection.get(WHOAMI, MtlsServer.TOKEN).status()).isEqualTo(200);
        assertThat(connection.protocol()).isEqualTo("TLSv1.2");
      }
    }

    @Test
    void aClientWithoutACertificateIsRefusedOverTls12Too() {
      assertThatThrownBy(
              () -> {
                try (TlsTestClient connection =
                    TlsTestClient.connect(client(null), server.port(), "TLSv1.2")) {
                  connection.get(WHOAMI, MtlsServer.TOKEN);
                }
              })
          .isInstanceOf(IOException.class);
    }

    @Test
    void anOperatorToolIsServedToo() throws Exception {
      SSLContext operator = client(MtlsServer.issue(cluster, Role.OPERATOR, "alice"));
      try (TlsTestClient connection = TlsTestClient.connect(operator, server.port())) {
        assertThat(connection.get(WHOAMI, MtlsServer.TOKEN).body())
            .isEqualTo("coffer://operator/alice");
      }
    }

    @Test
    void theRestOfCoffersConventionsStillApplyBehindTls() throws Exception {
      SSLContext router = client(MtlsServer.issue(cluster, Role.ROUTER, "router-1"));
      try (TlsTestClient connection = TlsTestClient.connect(router, server.port())) {
        TlsTestClient.Response noToken = connection.get(WHOAMI, "not-the-token-at-all");

        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.body()).contains("\"code\"");
      }
    }

    @Test
    void aClientWithoutACertificateIsRefusedAndCountedWithoutAStackTraceInTheLog()
        throws Exception {
      ListAppender<ILoggingEvent> log = captureLog();
      long before = server.handshakeFailures();
      try {
        for (int i = 0; i < 20; i++) {
          assertRefused(client(null));
        }
        assertThat(server.handshakeFailures()).isGreaterThanOrEqualTo(before + 20);
      } finally {
        root().detachAppender(log);
      }
      assertThat(log.list)
          .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
          .filteredOn(event -> event.getThrowableProxy() != null)
          .isEmpty();
      assertThat(log.list)
          .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
          .isEmpty();
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
      long before = server.handshakeFailures();
      assertRefused(client(MtlsServer.issue(other, Role.ROUTER, "router-1")));
      assertThat(server.handshakeFailures()).isGreaterThan(before);
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
      Instant now = Instant.now();
      IssuedCredential expired =
          MtlsServer.issue(
              cluster,
              Role.ROUTER,
              "router-1",
              now.minus(Duration.ofDays(30)),
              now.minus(Duration.ofDays(1)));

      assertRefused(client(expired));
    }

    @Test
    void plainHttpOnTheTlsPortIsRefused() throws Exception {
      long before = server.handshakeFailures();
      java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient();
      assertThatThrownBy(
              () ->
                  plain.send(
                      java.net.http.HttpRequest.newBuilder(
                              java.net.URI.create("http://127.0.0.1:" + server.port() + WHOAMI))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
      await(() -> server.handshakeFailures() > before);
    }

    @Test
    void theAdminPortAnswersPlainHttpOnLoopbackWithTheTlsCheckAndGauges() throws Exception {
      HttpResponse<String> health = server.admin("/healthcheck");
      assertThat(health.statusCode()).isEqualTo(200);
      JsonNode check = server.adminJson("/healthcheck").path("tls-" + server.connectorName());
      assertThat(check.path("healthy").asBoolean()).isTrue();
      assertThat(check.path("message").asText())
          .startsWith(server.files().certificateChain().toString());

      JsonNode gauges = server.adminJson("/metrics").path("gauges");
      String prefix = "coffer.tls." + server.connectorName();
      assertThat(gauges.path(prefix + ".certificate.seconds-to-expiry").path("value").asLong())
          .isBetween(Duration.ofDays(89).toSeconds(), Duration.ofDays(90).toSeconds());
      assertThat(gauges.path(prefix + ".ca.seconds-to-expiry").path("value").asLong())
          .isGreaterThan(Duration.ofDays(3000).toSeconds());
      assertThat(gauges.path(prefix + ".reload-failures").path("value").asLong()).isZero();
      assertThat(server.adminJson("/metrics").path("meters").has(prefix + ".handshake-failures"))
          .isTrue();
    }

    @Test
    void theAdminPortKeepsItsAllowList() throws Exception {
      assertThat(server.admin("/threads").statusCode()).isEqualTo(404);
    }

    private SSLContext client(IssuedCredential credential) throws Exception {
      return TlsTestClient.context(credential, cluster);
    }

    private void assertRefused(SSLContext client) {
      assertThatThrownBy(
              () -> {
                try (TlsTestClient connection = TlsTestClient.connect(client, server.port())) {
                  connection.get(WHOAMI, MtlsServer.TOKEN);
                }
              })
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aCaRemovedFromTheBundleIsRefusedOnTheNextConnectionWhileAnOpenOneKeepsWorking(
      @TempDir Path directory) throws Exception {
    CertificateAuthority cluster = MtlsServer.ca("coffer");
    CertificateAuthority retired = MtlsServer.ca("retired");
    try (MtlsServer server =
        MtlsServer.start(
            directory, MtlsServer.issue(cluster, Role.HOST, "host-1"), cluster, retired)) {
      SSLContext oldRouter =
          TlsTestClient.context(MtlsServer.issue(retired, Role.ROUTER, "router-1"), cluster);
      SSLContext newRouter =
          TlsTestClient.context(MtlsServer.issue(cluster, Role.ROUTER, "router-2"), cluster);
      try (TlsTestClient open = TlsTestClient.connect(oldRouter, server.port())) {
        assertThat(open.get(WHOAMI, MtlsServer.TOKEN).status()).isEqualTo(200);

        server.trust(cluster);

        await(() -> refused(oldRouter, server.port()));
        assertThat(open.get(WHOAMI, MtlsServer.TOKEN).status()).isEqualTo(200);
        assertThat(statusOfNewConnection(newRouter, server.port())).isEqualTo(200);
      }
    }
  }

  @Test
  void aRenewedServerCertificateIsPresentedToTheNextConnectionWithoutRestart(
      @TempDir Path directory) throws Exception {
    CertificateAuthority cluster = MtlsServer.ca("coffer");
    IssuedCredential first = MtlsServer.issue(cluster, Role.HOST, "host-1");
    try (MtlsServer server = MtlsServer.start(directory, first, cluster)) {
      SSLContext router =
          TlsTestClient.context(MtlsServer.issue(cluster, Role.ROUTER, "router-1"), cluster);
      try (TlsTestClient open = TlsTestClient.connect(router, server.port())) {
        assertThat(open.serverSerial()).isEqualTo(first.certificate().getSerialNumber());
        IssuedCredential renewed = cluster.renew(first.certificate());

        server.serve(renewed);

        await(
            () -> {
              try (TlsTestClient next = TlsTestClient.connect(router, server.port())) {
                return next.serverSerial().equals(renewed.certificate().getSerialNumber())
                    && next.get(WHOAMI, MtlsServer.TOKEN).status() == 200;
              }
            });
        assertThat(open.get(WHOAMI, MtlsServer.TOKEN).status()).isEqualTo(200);
        assertThat(open.serverSerial()).isEqualTo(first.certificate().getSerialNumber());
      }
    }
  }

  @Test
  void aCertificateExpiringWithinTheWarningWindowTurnsTheHealthCheckUnhealthyNamingTheFile(
      @TempDir Path directory) throws Exception {
    CertificateAuthority cluster = MtlsServer.ca("coffer");
    try (MtlsServer server =
        MtlsServer.start(directory, MtlsServer.issue(cluster, Role.HOST, "host-1"), cluster)) {
      String check = "tls-" + server.connectorName();
      assertThat(server.adminJson("/healthcheck").path(check).path("healthy").asBoolean()).isTrue();

      server.serve(MtlsServer.issue(cluster, Role.HOST, "host-1", Duration.ofDays(3)));

      await(
          () -> {
            JsonNode state = server.adminJson("/healthcheck").path(check);
            return !state.path("healthy").asBoolean(true)
                && state.path("message").asText().contains("expires");
          });
      HttpResponse<String> health = server.admin("/healthcheck");
      assertThat(health.statusCode()).isEqualTo(500);
      JsonNode unhealthy = server.adminJson("/healthcheck").path(check);
      assertThat(unhealthy.path("healthy").asBoolean()).isFalse();
      assertThat(unhealthy.path("message").asText())
          .isEqualTo(
              server.files().certificateChain()
                  + ": the certificate expires in 2 days; renew it (cert renew)");
      long secondsLeft =
          server
              .adminJson("/metrics")
              .path("gauges")
              .path("coffer.tls." + server.connectorName() + ".certificate.seconds-to-expiry")
              .path("value")
              .asLong();
      assertThat(secondsLeft).isBetween(1L, Duration.ofDays(3).toSeconds());
    }
  }

  @Test
  void aCorruptCertificateFileKeepsTheOldOneServingAndTurnsTheHealthCheckUnhealthy(
      @TempDir Path directory) throws Exception {
    CertificateAuthority cluster = MtlsServer.ca("coffer");
    IssuedCredential served = MtlsServer.issue(cluster, Role.HOST, "host-1");
    try (MtlsServer server = MtlsServer.start(directory, served, cluster)) {
      String check = "tls-" + server.connectorName();

      Files.writeString(server.files().certificateChain(), "-----BEGIN CERTIFICATE-----\nAAAA");

      await(() -> server.admin("/healthcheck").statusCode() == 500);
      JsonNode unhealthy = server.adminJson("/healthcheck").path(check);
      assertThat(unhealthy.path("message").asText())
          .contains(server.files().certificateChain().toString())
          .doesNotContain("AAAA");
      assertThat(
              server
                  .adminJson("/metrics")
                  .path("gauges")
                  .path("coffer.tls." + server.connectorName() + ".reload-failures")
                  .path("value")
                  .asLong())
          .isPositive();
      SSLContext router =
          TlsTestClient.context(MtlsServer.issue(cluster, Role.ROUTER, "router-1"), cluster);
      try (TlsTestClient next = TlsTestClient.connect(router, server.port())) {
        assertThat(next.serverSerial()).isEqualTo(served.certificate().getSerialNumber());
        assertThat(next.get(WHOAMI, MtlsServer.TOKEN).status()).isEqualTo(200);
      }
    }
  }

  private static boolean refused(SSLContext client, int port) {
    try {
      return statusOfNewConnection(client, port) != 200;
    } catch (IOException e) {
      return true;
    }
  }

  private static int statusOfNewConnection(SSLContext client, int port) throws IOException {
    try (TlsTestClient connection = TlsTestClient.connect(client, port)) {
      return connection.get(WHOAMI, MtlsServer.TOKEN).status();
    }
  }

  /** Polls {@code condition} until it holds; the reload interval is 100 ms. */
  private static void await(Callable<Boolean> condition) throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (!condition.call()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + PATIENCE);
      }
      Thread.sleep(50);
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static ListAppender<ILoggingEvent> captureLog() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root().addAppender(appender);
    return appender;
  }
}
