package dev.coffer.pki.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.ClusterIdentity;
import dev.coffer.pki.IssuedCredential;
import dev.coffer.pki.Role;
import dev.coffer.pki.TestPki;
import dev.coffer.pki.tls.LoopbackTlsServer.Kind;
import dev.coffer.pki.tls.ReloadingTlsMaterial.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS handshakes over loopback with client authentication required, written once and run for
 * each way a server uses the reloading SSLContext ({@link Kind}).
 */
abstract class MutualTlsContract {
  private static final CertificateAuthority CLUSTER = TestPki.ca("coffer");

  /** Another CA with the same name: only its key tells it apart. */
  private static final CertificateAuthority OTHER = TestPki.ca("coffer");

  private static final Options FAST = Options.DEFAULTS.withCheckInterval(Duration.ofMillis(100));

  @TempDir Path directory;
  private final List<AutoCloseable> resources = new ArrayList<>();

  abstract Kind kind();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  private ReloadingTlsMaterial material(TlsFiles files) throws Exception {
    ReloadingTlsMaterial material = ReloadingTlsMaterial.start(files, FAST);
    resources.add(material);
    return material;
  }

  private LoopbackTlsServer server(SSLContext context) throws IOException {
    LoopbackTlsServer server = LoopbackTlsServer.start(kind(), context);
    resources.add(server);
    return server;
  }

  private MemberFiles hostFiles(IssuedCredential credential, CertificateAuthority... trusted)
      throws IOException {
    return MemberFiles.in(directory, "host-1").write(credential, trusted);
  }

  @Test
  void aClientWithAClusterCertificateIsServedAndKnownByItsIdentity() throws Exception {
    MemberFiles member = hostFiles(TestPki.issue(CLUSTER, Role.HOST, "host-1"), CLUSTER);
    LoopbackTlsServer host = server(material(member.files()).sslContext());
    SSLContext operator =
        TlsClient.context(TestPki.issue(CLUSTER, Role.OPERATOR, "alice"), CLUSTER);

    try (TlsClient client = TlsClient.connect(operator, host.port())) {
      assertThat(client.exchange("ping")).isEqualTo("ok coffer://operator/alice");
      assertThat(ClusterIdentity.of(client.serverCertificate()))
          .contains(new ClusterIdentity(Role.HOST, "host-1"));
    }
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    MemberFiles member = hostFiles(TestPki.issue(CLUSTER, Role.HOST, "host-1"), CLUSTER);
    LoopbackTlsServer host = server(material(member.files()).sslContext());

    assertRefused(TlsClient.context(null, CLUSTER), host);
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefused() throws Exception {
    MemberFiles member = hostFiles(TestPki.issue(CLUSTER, Role.HOST, "host-1"), CLUSTER);
    LoopbackTlsServer host = server(material(member.files()).sslContext());

    assertRefused(TlsClient.context(TestPki.issue(OTHER, Role.ROUTER, "edge-1"), CLUSTER), host);
  }

  @Test
  void anExpiredClientCertificateIsRefused() throws Exception {
    MemberFiles member = hostFiles(TestPki.issue(CLUSTER, Role.HOST, "host-1"), CLUSTER);
    LoopbackTlsServer host = server(material(member.files()).sslContext());

    assertRefused(
        TlsClient.context(TestPki.expired(CLUSTER, Role.ROUTER, "edge-1"), CLUSTER), host);
  }

  @Test
  void aCaRemovedFromTheBundleIsRefusedFromTheNextHandshakeOn() throws Exception {
    MemberFiles member = hostFiles(TestPki.issue(CLUSTER, Role.HOST, "host-1"), CLUSTER, OTHER);
    ReloadingTlsMaterial material = material(member.files());
    LoopbackTlsServer host = server(material.sslContext());
    // One client context throughout: it offers to resume its earlier session.
    SSLContext router = TlsClient.context(TestPki.issue(OTHER, Role.ROUTER, "edge-1"), CLUSTER);
    try (TlsClient before = TlsClient.connect(router, host.port())) {
      assertThat(before.exchange("ping")).isEqualTo("ok coffer://router/edge-1");
      TlsClient open = TlsClient.connect(router, host.port());
      resources.add(open);
      assertThat(open.exchange("ping")).isEqualTo("ok coffer://router/edge-1");

      member.trust(CLUSTER);
      await(() -> material.current().generation() == 2);

      assertRefused(router, host);
      assertThat(open.exchange("still there?")).isEqualTo("ok coffer://router/edge-1");
    }
  }

  @Test
  void aRenewedCertificateIsServedByTheNextConnectionWhileOpenOnesKeepWorking() throws Exception {
    IssuedCredential first = TestPki.issue(CLUSTER, Role.HOST, "host-1");
    MemberFiles member = hostFiles(first, CLUSTER);
    ReloadingTlsMaterial material = material(member.files());
    LoopbackTlsServer host = server(material.sslContext());
    SSLContext router = TlsClient.context(TestPki.issue(CLUSTER, Role.ROUTER, "edge-1"), CLUSTER);
    TlsClient open = TlsClient.connect(router, host.port());
    resources.add(open);
    assertThat(open.serverCertificate()).isEqualTo(first.certificate());

    IssuedCredential renewed = CLUSTER.renew(first.certificate());
    member.credential(renewed);
    await(() -> material.current().generation() == 2);

    try (TlsClient next = TlsClient.connect(router, host.port())) {
      assertThat(next.serverCertificate()).isEqualTo(renewed.certificate());
      assertThat(next.exchange("ping")).isEqualTo("ok coffer://router/edge-1");
    }
    assertThat(open.exchange("ping")).isEqualTo("ok coffer://router/edge-1");
    assertThat(open.serverCertificate()).isEqualTo(first.certificate());
  }

  @Test
  void aRouterKeepingItsSocketFactoryPresentsItsRenewedCertificate() throws Exception {
    LoopbackTlsServer host =
        server(TlsClient.context(TestPki.issue(CLUSTER, Role.HOST, "host-1"), CLUSTER));
    IssuedCredential first = TestPki.issue(CLUSTER, Role.ROUTER, "edge-1");
    MemberFiles routerFiles = MemberFiles.in(directory, "edge-1").write(first, CLUSTER);
    ReloadingTlsMaterial router = material(routerFiles.files());
    SSLSocketFactory kept = router.sslContext().getSocketFactory();
    try (TlsClient client = TlsClient.connect(kept, host.port())) {
      client.exchange("ping");
      assertThat(host.lastClientCertificate()).isEqualTo(first.certificate());
    }

    IssuedCredential renewed = CLUSTER.renew(first.certificate());
    routerFiles.credential(renewed);
    await(() -> router.current().generation() == 2);

    try (TlsClient client = TlsClient.connect(kept, host.port())) {
      client.exchange("ping");
      assertThat(host.lastClientCertificate()).isEqualTo(renewed.certificate());
    }
  }

  @Test
  void aSecretMountSwappedByRenamingItsDataLinkIsPickedUp() throws Exception {
    Path mount = Files.createDirectory(directory.resolve("mount"));
    IssuedCredential first = TestPki.issue(CLUSTER, Role.HOST, "host-1");
    IssuedCredential renewed = CLUSTER.renew(first.certificate());
    KubernetesStyleMount secret = new KubernetesStyleMount(mount);
    secret.publish(first, CLUSTER);
    ReloadingTlsMaterial material = material(secret.files());
    LoopbackTlsServer host = server(material.sslContext());
    SSLContext router = TlsClient.context(TestPki.issue(CLUSTER, Role.ROUTER, "edge-1"), CLUSTER);
    TlsClient open = TlsClient.connect(router, host.port());
    resources.add(open);
    assertThat(open.serverCertificate()).isEqualTo(first.certificate());

    secret.publish(renewed, CLUSTER);
    await(() -> material.current().generation() == 2);

    try (TlsClient next = TlsClient.connect(router, host.port())) {
      assertThat(next.serverCertificate()).isEqualTo(renewed.certificate());
    }
    assertThat(open.exchange("ping")).isEqualTo("ok coffer://router/edge-1");
  }

  @Test
  void aCorruptFileOnDiskLeavesThePreviousCertificateServing() throws Exception {
    IssuedCredential first = TestPki.issue(CLUSTER, Role.HOST, "host-1");
    MemberFiles member = hostFiles(first, CLUSTER);
    ReloadingTlsMaterial material = material(member.files());
    LoopbackTlsServer host = server(material.sslContext());
    SSLContext router = TlsClient.context(TestPki.issue(CLUSTER, Role.ROUTER, "edge-1"), CLUSTER);

    MemberFiles.overwrite(member.files().certificateChain(), "-----BEGIN CERTIFICATE-----\nMIIB");
    await(() -> material.failedReloads() == 1);

    try (TlsClient next = TlsClient.connect(router, host.port())) {
      assertThat(next.serverCertificate()).isEqualTo(first.certificate());
      assertThat(next.exchange("ping")).isEqualTo("ok coffer://router/edge-1");
    }
  }

  @Test
  void aRouterRefusesAHostCertificateFromAnotherCa() throws Exception {
    LoopbackTlsServer impostor =
        server(TlsClient.context(TestPki.issue(OTHER, Role.HOST, "host-1"), CLUSTER, OTHER));
    MemberFiles routerFiles =
        MemberFiles.in(directory, "edge-1")
            .write(TestPki.issue(CLUSTER, Role.ROUTER, "edge-1"), CLUSTER);
    SSLContext router = material(routerFiles.files()).sslContext();

    assertThatThrownBy(() -> TlsClient.connect(router, impostor.port()).exchange("ping"))
        .isInstanceOf(SSLHandshakeException.class);

    LoopbackTlsServer genuine =
        server(TlsClient.context(TestPki.issue(CLUSTER, Role.HOST, "host-1"), CLUSTER));
    try (TlsClient client = TlsClient.connect(router, genuine.port())) {
      assertThat(client.exchange("ping")).isEqualTo("ok coffer://router/edge-1");
    }
  }

  @Test
  void aRouterThatDroppedACaRefusesItsHostsEvenThroughAKeptSocketFactory() throws Exception {
    LoopbackTlsServer host =
        server(TlsClient.context(TestPki.issue(OTHER, Role.HOST, "host-1"), CLUSTER));
    MemberFiles routerFiles =
        MemberFiles.in(directory, "edge-1")
            .write(TestPki.issue(CLUSTER, Role.ROUTER, "edge-1"), CLUSTER, OTHER);
    ReloadingTlsMaterial router = material(routerFiles.files());
    // Kept, as an HTTP client keeps it: it offers to resume the session it made before.
    SSLSocketFactory kept = router.sslContext().getSocketFactory();
    try (TlsClient client = TlsClient.connect(kept, host.port())) {
      assertThat(client.exchange("ping")).isEqualTo("ok coffer://router/edge-1");
    }

    routerFiles.trust(CLUSTER);
    await(() -> router.current().generation() == 2);

    assertThatThrownBy(() -> TlsClient.connect(kept, host.port()).exchange("ping"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void anOperatorCertificateCannotServe() throws Exception {
    LoopbackTlsServer operatorAsServer =
        server(TlsClient.context(TestPki.issue(CLUSTER, Role.OPERATOR, "alice"), CLUSTER));
    SSLContext router = TlsClient.context(TestPki.issue(CLUSTER, Role.ROUTER, "edge-1"), CLUSTER);

    assertThatThrownBy(() -> TlsClient.connect(router, operatorAsServer.port()).exchange("ping"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aHostCertificateForAnotherAddressIsRefused() throws Exception {
    IssuedCredential elsewhere =
        CLUSTER.issue(
            new ClusterIdentity(Role.HOST, "host-9"),
            List.of("host-9.coffer.internal"),
            List.of(),
            Duration.ofDays(1));
    LoopbackTlsServer host = server(TlsClient.context(elsewhere, CLUSTER));
    SSLContext router = TlsClient.context(TestPki.issue(CLUSTER, Role.ROUTER, "edge-1"), CLUSTER);

    assertThatThrownBy(() -> TlsClient.connect(router, host.port()).exchange("ping"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private static void assertRefused(SSLContext client, LoopbackTlsServer server) {
    assertThatThrownBy(
            () -> {
              try (TlsClient connection = TlsClient.connect(client, server.port())) {
                connection.exchange("ping");
              }
            })
        .isInstanceOf(IOException.class);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 10 seconds");
      }
      Thread.sleep(20);
    }
  }

  /**
   * A Kubernetes secret volume's layout: the files are links through {@code ..data}, a link to a
   * timestamped directory; an update writes a new directory and renames a new link over {@code
   * ..data}, so every file changes at one instant.
   */
  static final class KubernetesStyleMount {
    private final Path mount;
    private int version;

    KubernetesStyleMount(Path mount) {
      this.mount = mount;
    }

    TlsFiles files() {
      return new TlsFiles(
          mount.resolve("tls.crt"), mount.resolve("tls.key"), mount.resolve("ca.crt"));
    }

    void publish(IssuedCredential credential, CertificateAuthority... trusted) throws IOException {
      version++;
      Path data = Files.createDirectory(mount.resolve("..2026_12_07_" + version));
      credential.write(data.resolve("tls.crt"), data.resolve("tls.key"));
      TestPki.writeBundle(data.resolve("ca.crt"), trusted);
      Path link = mount.resolve("..data");
      Path previous =
          Files.isSymbolicLink(link) ? mount.resolve(Files.readSymbolicLink(link)) : null;
      Path next = Files.createSymbolicLink(mount.resolve("..data_tmp"), data.getFileName());
      Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      for (String file : List.of("tls.crt", "tls.key", "ca.crt")) {
        if (!Files.isSymbolicLink(mount.resolve(file))) {
          Files.createSymbolicLink(mount.resolve(file), Path.of("..data", file));
        }
      }
      if (previous != null) {
        try (var old = Files.list(previous)) {
          for (Path file : old.toList()) {
            Files.delete(file);
          }
        }
        Files.delete(previous);
      }
    }
  }
}
