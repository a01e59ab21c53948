package dev.coffer.pki.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.ClusterIdentity;
import dev.coffer.pki.OwnerOnlyFiles;
import dev.coffer.pki.Pem;
import dev.coffer.pki.Role;
import dev.coffer.pki.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PkiCommandTest {
  @TempDir Path directory;

  record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = PkiCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Path ca() {
    Path ca = directory.resolve("ca");
    assertThat(run("ca", "create", "--dir", ca.toString()).exitCode()).isZero();
    return ca;
  }

  private static void assertBadInput(Run run, String message) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(message);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void caCreateWritesTheCaOwnerOnly() throws Exception {
    Path ca = directory.resolve("ca");

    Run run = run("ca", "create", "--dir", ca.toString(), "--name", "prod", "--days", "365");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Created the cluster CA CN=prod cluster CA,O=Coffer");
    assertThat(Files.getPosixFilePermissions(ca)).isEqualTo(OwnerOnlyFiles.OWNER_ONLY_DIRECTORY);
    assertThat(Files.getPosixFilePermissions(ca.resolve("ca.key")))
        .isEqualTo(OwnerOnlyFiles.OWNER_ONLY);
    X509Certificate certificate = CertificateAuthority.load(ca).certificate();
    assertThat(Duration.between(Instant.now(), certificate.getNotAfter().toInstant()).toDays())
        .isBetween(364L, 365L);
  }

  @Test
  void caCreateRefusesToReplaceACa() throws Exception {
    Path ca = ca();
    String key = TestPki.read(ca.resolve("ca.key"));

    assertBadInput(run("ca", "create", "--dir", ca.toString()), "already exists");
    assertThat(TestPki.read(ca.resolve("ca.key"))).isEqualTo(key);
  }

  @Test
  void certIssueWritesTheChainAndAnOwnerOnlyKey() throws Exception {
    Path ca = ca();
    Path out = directory.resolve("certs");

    Run run =
        run(
            "cert",
            "issue",
            "--ca-dir",
            ca.toString(),
            "--role",
            "host",
            "--name",
            "host-1-a",
            "--dns",
            "host-1-a.internal,localhost",
            "--ip",
            "127.0.0.1",
            "--ip",
            "::1",
            "--out",
            out.toString(),
            "--days",
            "30");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Issued coffer://host/host-1-a, valid until ");
    assertThat(Files.getPosixFilePermissions(out.resolve("host-1-a.key")))
        .isEqualTo(OwnerOnlyFiles.OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(out)).isEqualTo(OwnerOnlyFiles.OWNER_ONLY_DIRECTORY);
    List<X509Certificate> chain = Pem.readCertificates(TestPki.read(out.resolve("host-1-a.crt")));
    assertThat(chain).hasSize(2);
    assertThat(chain.get(1)).isEqualTo(CertificateAuthority.load(ca).certificate());
    assertThat(ClusterIdentity.of(chain.get(0)))
        .contains(new ClusterIdentity(Role.HOST, "host-1-a"));
    assertThat(chain.get(0).getSubjectAlternativeNames())
        .extracting(name -> (Object) name.get(1))
        .containsExactly(
            "coffer://host/host-1-a",
            "host-1-a.internal",
            "localhost",
            "127.0.0.1",
            "0:0:0:0:0:0:0:1");
    assertThat(Duration.between(Instant.now(), chain.get(0).getNotAfter().toInstant()).toDays())
        .isBetween(29L, 30L);
  }

  @Test
  void certIssueRefusesBadInputInOneLine() throws Exception {
    Path ca = ca();
    String out = directory.resolve("certs").toString();
    String caDir = ca.toString();

    assertBadInput(
        run("cert", "issue", "--ca-dir", caDir, "--role", "admin", "--name", "x", "--out", out),
        "unknown role 'admin'");
    assertBadInput(
        run("cert", "issue", "--ca-dir", caDir, "--role", "host", "--name", "h", "--out", out),
        "a host certificate needs at least one DNS name or IP address");
    assertBadInput(
        run(
            "cert",
            "issue",
            "--ca-dir",
            caDir,
            "--role",
            "router",
            "--name",
            "../x",
            "--ip",
            "127.0.0.1",
            "--out",
            out),
        "a name is 1 to 64 letters");
    assertBadInput(
        run(
            "cert",
            "issue",
            "--ca-dir",
            caDir,
            "--role",
            "router",
            "--name",
            "r",
            "--ip",
            "localhost",
            "--out",
            out),
        "not an IP address: localhost");
    assertBadInput(
        run(
            "cert",
            "issue",
            "--ca-dir",
            caDir,
            "--role",
            "operator",
            "--name",
            "o",
            "--days",
            "0",
            "--out",
            out),
        "--days must be at least 1");
    assertBadInput(
        run(
            "cert",
            "issue",
            "--ca-dir",
            directory.resolve("nowhere").toString(),
            "--role",
            "operator",
            "--name",
            "o",
            "--out",
            out),
        "no such file");
    assertBadInput(
        run("cert", "issue", "--ca-dir", caDir, "--role", "operator", "--name", "ca", "--out", out),
        "the name 'ca' is reserved");
    assertBadInput(run("cert", "issue", "--role", "operator"), "Missing required options");
    assertBadInput(run("cert", "frobnicate"), "Unmatched argument");
    assertBadInput(run(), "name a command");
    assertThat(Files.exists(directory.resolve("certs"))).isFalse();
  }

  @Test
  void certIssueWillNotOverwriteAnExistingCertificate() throws Exception {
    Path ca = ca();
    String[] issue = {
      "cert",
      "issue",
      "--ca-dir",
      ca.toString(),
      "--role",
      "operator",
      "--name",
      "alice",
      "--out",
      directory.toString()
    };
    assertThat(run(issue).exitCode()).isZero();
    String key = TestPki.read(directory.resolve("alice.key"));

    assertBadInput(run(issue), "already exists; use cert renew");
    assertThat(TestPki.read(directory.resolve("alice.key"))).isEqualTo(key);
  }

  @Test
  void certRenewReplacesBothFilesKeepingTheIdentity() throws Exception {
    Path ca = ca();
    run(
        "cert",
        "issue",
        "--ca-dir",
        ca.toString(),
        "--role",
        "router",
        "--name",
        "edge-1",
        "--dns",
        "edge-1.internal",
        "--out",
        directory.toString(),
        "--days",
        "10");
    Path certificate = directory.resolve("edge-1.crt");
    Path key = directory.resolve("edge-1.key");
    X509Certificate before = Pem.readCertificates(TestPki.read(certificate)).get(0);
    String keyBefore = TestPki.read(key);

    Run run =
        run(
            "cert",
            "renew",
            "--ca-dir",
            ca.toString(),
            "--cert",
            certificate.toString(),
            "--key",
            key.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Renewed coffer://router/edge-1, valid until ");
    X509Certificate after = Pem.readCertificates(TestPki.read(certificate)).get(0);
    assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
    assertThat(after.getSubjectAlternativeNames())
        .containsExactlyElementsOf(before.getSubjectAlternativeNames());
    assertThat(TestPki.read(key)).isNotEqualTo(keyBefore);
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(OwnerOnlyFiles.OWNER_ONLY);
    assertThat(Duration.between(Instant.now(), after.getNotAfter().toInstant()).toDays())
        .isBetween(9L, 10L);
  }

  @Test
  void certRenewRefusesAKeyGivenAsTheCertificate() throws Exception {
    Path ca = ca();
    run(
        "cert",
        "issue",
        "--ca-dir",
        ca.toString(),
        "--role",
        "operator",
        "--name",
        "alice",
        "--out",
        directory.toString());
    String key = directory.resolve("alice.key").toString();

    Run run = run("cert", "renew", "--ca-dir", ca.toString(), "--cert", key, "--key", key);

    assertBadInput(run, "holds a private key, not a certificate");
    assertBadInput(
        run(
            "cert",
            "renew",
            "--ca-dir",
            ca.toString(),
            "--cert",
            directory.resolve("alice.crt").toString(),
            "--key",
            directory.resolve("typo.key").toString()),
        "no such file");
  }

  @Test
  void certShowPrintsThePublicPartsAndNeverAKey() throws Exception {
    Path ca = ca();
    run(
        "cert",
        "issue",
        "--ca-dir",
        ca.toString(),
        "--role",
        "control-plane",
        "--name",
        "cp",
        "--dns",
        "localhost",
        "--out",
        directory.toString());

    Run run = run("cert", "show", "--cert", directory.resolve("cp.crt").toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Certificate 1 of 2")
        .contains("subject:     CN=cp,OU=control-plane,O=Coffer")
        .contains("role:        control-plane cp")
        .contains("alt names:   URI:coffer://control-plane/cp, DNS:localhost")
        .contains("expires in 89 days")
        .contains("Certificate 2 of 2")
        .contains("role:        certificate authority")
        .doesNotContain("PRIVATE");

    String key = TestPki.read(directory.resolve("cp.key"));
    Run onKey = run("cert", "show", "--cert", directory.resolve("cp.key").toString());
    assertBadInput(onKey, "holds a private key");
    assertThat(onKey.err() + onKey.out()).doesNotContain(key.lines().skip(1).findFirst().get());
  }

  @Test
  void certShowMarksAnExpiredCertificate() throws Exception {
    Path file = directory.resolve("old.crt");
    Files.writeString(
        file, Pem.certificate(TestPki.expired(TestPki.ca("c"), Role.HOST, "h").certificate()));

    assertThat(run("cert", "show", "--cert", file.toString()).out()).contains("EXPIRED 1 days ago");
  }

  @Test
  void certShowRefusesSomethingThatIsNotACertificate() throws Exception {
    Path file = Files.writeString(directory.resolve("notes.txt"), "hello");

    assertBadInput(run("cert", "show", "--cert", file.toString()), "no certificate found");
  }
}
