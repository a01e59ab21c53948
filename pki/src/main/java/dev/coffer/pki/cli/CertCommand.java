package dev.coffer.pki.cli;

import dev.coffer.pki.CertificateAuthority;
import dev.coffer.pki.CertificateRequest;
import dev.coffer.pki.ClusterIdentity;
import dev.coffer.pki.IssuedCredential;
import dev.coffer.pki.OwnerOnlyFiles;
import dev.coffer.pki.Pem;
import dev.coffer.pki.Role;
import dev.coffer.pki.Validity;
import dev.coffer.pki.cli.PkiCommand.UsageException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
    name = "cert",
    mixinStandardHelpOptions = true,
    subcommands = {CertCommand.Issue.class, CertCommand.Renew.class, CertCommand.Show.class},
    description = "Certificates of routers, hosts, control planes and operators.")
final class CertCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "name a command: cert issue, cert renew or cert show");
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description =
          "Issues a certificate and a new key: <out>/<name>.crt (the certificate, then the CA)"
              + " and <out>/<name>.key (owner-only). Routers, hosts and control planes need the"
              + " DNS names or IP addresses their clients dial.")
  static final class Issue implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--ca-dir", required = true, description = "The CA's directory.")
    private Path caDirectory;

    @Option(
        names = "--role",
        required = true,
        converter = RoleConverter.class,
        description = "router, host, control-plane or operator.")
    private Role role;

    @Option(names = "--name", required = true, description = "The member's name, e.g. host-1-a.")
    private String name;

    @Option(names = "--dns", split = ",", description = "DNS names (repeat or comma-separate).")
    private List<String> dns = new ArrayList<>();

    @Option(names = "--ip", split = ",", description = "IP addresses (repeat or comma-separate).")
    private List<String> ips = new ArrayList<>();

    @Option(names = "--out", required = true, description = "Directory for the two files.")
    private Path out;

    @Option(
        names = "--days",
        defaultValue = "90",
        description = "Validity in days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Override
    public Integer call() throws Exception {
      requirePositive(days);
      ClusterIdentity identity = new ClusterIdentity(role, ClusterIdentity.requireValidName(name));
      if ((name + ".crt").equals(CertificateAuthority.CERTIFICATE_FILE)) {
        throw new UsageException("the name 'ca' is reserved: ca.crt is the CA bundle's file");
      }
      Path certificateFile = out.resolve(name + ".crt");
      Path keyFile = out.resolve(name + ".key");
      for (Path existing : List.of(certificateFile, keyFile)) {
        if (Files.exists(existing)) {
          throw new UsageException(existing + " already exists; use cert renew to replace it");
        }
      }
      List<InetAddress> addresses = ips.stream().map(CertificateRequest::ipAddress).toList();
      CertificateAuthority authority = CertificateAuthority.load(caDirectory);
      CertificateRequest request =
          new CertificateRequest(
              identity,
              dns,
              addresses,
              Validity.startingNow(Clock.systemUTC(), Duration.ofDays(days)));
      IssuedCredential credential = authority.issue(request);
      OwnerOnlyFiles.ensurePrivateDirectory(out);
      credential.write(certificateFile, keyFile);
      spec.commandLine()
          .getOut()
          .printf(
              "Issued %s, valid until %s: %s, %s%n",
              identity.uri(),
              credential.certificate().getNotAfter().toInstant(),
              certificateFile,
              keyFile);
      return 0;
    }
  }

  @Command(
      name = "renew",
      mixinStandardHelpOptions = true,
      description =
          "Reissues a certificate with a new key: the same role, name, DNS names and IP"
              + " addresses, valid from now. Both files are replaced atomically, the key first; a"
              + " server reloading its files picks the pair up without a restart.")
  static final class Renew implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--ca-dir", required = true, description = "The CA's directory.")
    private Path caDirectory;

    @Option(names = "--cert", required = true, description = "The certificate file to renew.")
    private Path certificateFile;

    @Option(names = "--key", required = true, description = "Its key file (replaced).")
    private Path keyFile;

    @Option(
        names = "--days",
        description = "Validity in days (default: as long as the certificate being renewed).")
    private Integer days;

    @Override
    public Integer call() throws Exception {
      if (days != null) {
        requirePositive(days);
      }
      X509Certificate existing = Pem.readCertificates(readCertificateText(certificateFile)).get(0);
      if (!Files.exists(keyFile)) {
        // The key is replaced, not read; a wrong path would leave the real one behind.
        throw new UsageException("no such file: " + keyFile + " (the key to replace)");
      }
      CertificateAuthority authority = CertificateAuthority.load(caDirectory);
      IssuedCredential renewed =
          days == null
              ? authority.renew(existing)
              : authority.renew(existing, Duration.ofDays(days));
      renewed.write(certificateFile, keyFile);
      spec.commandLine()
          .getOut()
          .printf(
              "Renewed %s, valid until %s: %s, %s%n",
              ClusterIdentity.of(renewed.certificate()).orElseThrow().uri(),
              renewed.certificate().getNotAfter().toInstant(),
              certificateFile,
              keyFile);
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Prints each certificate in a file: subject, issuer, role and name, alternative names,"
              + " validity and fingerprint. Refuses files holding a private key.")
  static final class Show implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--cert", required = true, description = "A certificate file (PEM).")
    private Path certificateFile;

    @Override
    public Integer call() throws Exception {
      List<X509Certificate> certificates =
          Pem.readCertificates(readCertificateText(certificateFile));
      PrintWriter out = spec.commandLine().getOut();
      CertificateDescription.print(certificates, Clock.systemUTC(), out);
      out.flush();
      return 0;
    }
  }

  /** The file's text, refused outright if it holds a private key: that is never printed. */
  static String readCertificateText(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    if (Pem.mentionsPrivateKey(text)) {
      throw new UsageException(file + " holds a private key, not a certificate");
    }
    return text;
  }

  static void requirePositive(int days) throws UsageException {
    if (days <= 0) {
      throw new UsageException("--days must be at least 1");
    }
  }

  static final class RoleConverter implements ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return Role.parse(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "unknown role '" + value + "' (router, host, control-plane or operator)"));
    }
  }
}
