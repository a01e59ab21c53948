package dev.coffer.service.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.CertificateRequest;
import dev.coffer.pki.ClusterIdentity;
import dev.coffer.pki.IssuedCredential;
import dev.coffer.pki.OwnerOnlyFiles;
import dev.coffer.pki.Pem;
import dev.coffer.pki.Role;
import dev.coffer.pki.Validity;
import dev.coffer.pki.tls.TlsFiles;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link MtlsTestApplication} started from a generated configuration file whose application
 * connector is {@code type: mtls} on 127.0.0.1, with its certificate, key and CA bundle in a
 * directory a test may rewrite; the admin connector is plain HTTP on 127.0.0.1.
 */
final class MtlsServer implements AutoCloseable {
  static final String TOKEN = "mtls-test-admin-token-0123456789";
  static final String RELOAD_INTERVAL = "100ms";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final TlsFiles files;
  private final DropwizardTestSupport<MtlsTestApplication.Config> support;

  private MtlsServer(TlsFiles files, DropwizardTestSupport<MtlsTestApplication.Config> support) {
    this.files = files;
    this.support = support;
  }

  /** Serves {@code credential} and trusts clients of {@code trusted}. */
  static MtlsServer start(
      Path directory, IssuedCredential credential, CertificateAuthority... trusted)
      throws Exception {
    TlsFiles files = TlsFiles.inDirectory(directory, "host-1");
    credential.write(files.certificateChain(), files.privateKey());
    writeBundle(files.caBundle(), trusted);
    Path config = directory.resolve("server.yml");
    Map<String, Object> connector =
        Map.of(
            "type",
            "mtls",
            "bindHost",
            "127.0.0.1",
            "port",
            0,
            "certificate",
            files.certificateChain().toString(),
            "key",
            files.privateKey().toString(),
            "caBundle",
            files.caBundle().toString(),
            "reloadInterval",
            RELOAD_INTERVAL);
    Map<String, Object> yaml =
        Map.of(
            "server",
            Map.of(
                "type", "default",
                "applicationConnectors", List.of(connector),
                "adminConnectors",
                    List.of(Map.of("type", "http", "bindHost", "127.0.0.1", "port", 0))),
            "logging",
            Map.of("level", "INFO", "appenders", List.of(Map.of("type", "console"))),
            "auth",
            Map.of("adminToken", TOKEN));
    new ObjectMapper(new YAMLFactory()).writeValue(config.toFile(), yaml);
    DropwizardTestSupport<MtlsTestApplication.Config> support =
        new DropwizardTestSupport<>(MtlsTestApplication.class, config.toString());
    support.before();
    return new MtlsServer(files, support);
  }

  TlsFiles files() {
    return files;
  }

  int port() {
    return support.getLocalPort();
  }

  int adminPort() {
    return support.getAdminPort();
  }

  /** The connector's name in metric and health check names. */
  String connectorName() {
    return "application-0";
  }

  long handshakeFailures() {
    return support
        .getEnvironment()
        .metrics()
        .meter("coffer.tls." + connectorName() + ".handshake-failures")
        .getCount();
  }

  /** A GET on the admin port, in plain HTTP: the status and the JSON body. */
  HttpResponse<String> admin(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  JsonNode adminJson(String path) throws IOException, InterruptedException {
    return JSON.readTree(admin(path).body());
  }

  void serve(IssuedCredential credential) throws IOException {
    credential.write(files.certificateChain(), files.privateKey());
  }

  void trust(CertificateAuthority... cas) throws IOException {
    writeBundle(files.caBundle(), cas);
  }

  @Override
  public void close() {
    support.after();
  }

  static CertificateAuthority ca(String cluster) {
    return CertificateAuthority.generate(
        cluster, Validity.startingNow(Clock.systemUTC(), Validity.DEFAULT_CA), Clock.systemUTC());
  }

  /** A certificate for localhost and 127.0.0.1. */
  static IssuedCredential issue(
      CertificateAuthority ca, Role role, String name, Instant notBefore, Instant notAfter) {
    return ca.issue(
        new CertificateRequest(
            new ClusterIdentity(role, name),
            List.of("localhost"),
            List.of(CertificateRequest.ipAddress("127.0.0.1")),
            new Validity(notBefore, notAfter)));
  }

  /** Valid from five minutes ago for {@code length}. */
  static IssuedCredential issue(CertificateAuthority ca, Role role, String name, Duration length) {
    Instant now = Instant.now();
    return issue(ca, role, name, now.minus(Duration.ofMinutes(5)), now.plus(length));
  }

  static IssuedCredential issue(CertificateAuthority ca, Role role, String name) {
    return issue(ca, role, name, Validity.DEFAULT_CERTIFICATE);
  }

  private static void writeBundle(Path file, CertificateAuthority... cas) throws IOException {
    String pem =
        Pem.certificates(Arrays.stream(cas).map(CertificateAuthority::certificate).toList());
    OwnerOnlyFiles.writePublic(file, pem.getBytes(StandardCharsets.US_ASCII));
  }
}
