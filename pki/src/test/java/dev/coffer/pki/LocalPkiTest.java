package dev.coffer.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.pki.tls.ReloadingTlsMaterial;
import dev.coffer.pki.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPkiTest {
  private static final ClusterIdentity HOST = new ClusterIdentity(Role.HOST, "host-1");

  @TempDir Path root;

  @Test
  void theFirstStartCreatesTheCaAndEachMembersFiles() throws Exception {
    LocalPki pki = LocalPki.open(root, "dev");
    TlsFiles files = pki.member(HOST, List.of("localhost"), List.of(TestPki.LOOPBACK));

    assertThat(Files.getPosixFilePermissions(root.resolve("ca")))
        .isEqualTo(OwnerOnlyFiles.OWNER_ONLY_DIRECTORY);
    assertThat(Files.getPosixFilePermissions(files.privateKey()))
        .isEqualTo(OwnerOnlyFiles.OWNER_ONLY);
    assertThat(files.caBundle()).isEqualTo(root.resolve("certs/ca.crt"));
    try (ReloadingTlsMaterial material =
        ReloadingTlsMaterial.start(
            files, ReloadingTlsMaterial.Options.DEFAULTS.withCheckInterval(Duration.ZERO))) {
      assertThat(ClusterIdentity.of(material.current().certificate())).contains(HOST);
      assertThat(material.current().trustedCas()).containsExactly(pki.authority().certificate());
    }
  }

  @Test
  void laterStartsKeepWhatIsStillGood() throws Exception {
    TlsFiles files =
        LocalPki.open(root, "dev").member(HOST, List.of("localhost"), List.of(TestPki.LOOPBACK));
    String key = TestPki.read(files.privateKey());
    String ca = TestPki.read(root.resolve("ca/ca.key"));

    LocalPki.open(root, "dev").member(HOST, List.of("localhost"), List.of(TestPki.LOOPBACK));

    assertThat(TestPki.read(files.privateKey())).isEqualTo(key);
    assertThat(TestPki.read(root.resolve("ca/ca.key"))).isEqualTo(ca);
  }

  @Test
  void aCertificateNearItsEndOrForOtherAddressesIsReissued() throws Exception {
    LocalPki pki = LocalPki.open(root, "dev");
    TlsFiles files = pki.member(HOST, List.of("localhost"), List.of(TestPki.LOOPBACK));
    Instant now = Instant.now();
    TestPki.issue(pki.authority(), Role.HOST, "host-1", now, now.plus(Duration.ofDays(10)))
        .write(files.certificateChain(), files.privateKey());
    String expiring = TestPki.read(files.certificateChain());

    pki.member(HOST, List.of("localhost"), List.of(TestPki.LOOPBACK));
    String renewed = TestPki.read(files.certificateChain());
    pki.member(HOST, List.of("host-1.internal"), List.of(TestPki.LOOPBACK));

    assertThat(renewed).isNotEqualTo(expiring);
    assertThat(TestPki.read(files.certificateChain())).isNotEqualTo(renewed);
  }

  @Test
  void aCertificateFromAnotherCaIsReissued() throws Exception {
    LocalPki pki = LocalPki.open(root, "dev");
    TlsFiles files = pki.member(HOST, List.of("localhost"), List.of(TestPki.LOOPBACK));
    TestPki.issue(TestPki.ca("dev"), Role.HOST, "host-1")
        .write(files.certificateChain(), files.privateKey());
    String foreign = TestPki.read(files.certificateChain());

    pki.member(HOST, List.of("localhost"), List.of(TestPki.LOOPBACK));

    assertThat(TestPki.read(files.certificateChain())).isNotEqualTo(foreign);
  }
}
