package dev.coffer.pki.cli;

import dev.coffer.pki.CertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    subcommands = {CaCommand.Create.class},
    description = "The cluster CA.")
final class CaCommand implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command: ca create");
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Creates the cluster CA in a directory: ca.crt (give it to every member) and ca.key"
              + " (owner-only; keep it offline where you can). Refuses to replace an existing CA.")
  static final class Create implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Directory for ca.crt and ca.key.")
    private Path directory;

    @Option(
        names = "--name",
        defaultValue = "coffer",
        description = "Cluster name, in the CA's subject (default: ${DEFAULT-VALUE}).")
    private String clusterName;

    @Option(
        names = "--days",
        defaultValue = "3650",
        description = "Validity in days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Override
    public Integer call() throws Exception {
      CertCommand.requirePositive(days);
      CertificateAuthority authority =
          CertificateAuthority.create(directory, clusterName, Duration.ofDays(days));
      spec.commandLine()
          .getOut()
          .printf(
              "Created the cluster CA %s, valid until %s: %s, %s%n",
              authority.certificate().getSubjectX500Principal().getName(),
              authority.certificate().getNotAfter().toInstant(),
              directory.resolve(CertificateAuthority.CERTIFICATE_FILE),
              directory.resolve(CertificateAuthority.KEY_FILE));
      return 0;
    }
  }
}
